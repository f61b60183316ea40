// Who is signed in and the agent's settings. Startup resumes a remembered session; without
// one the sign-in screen shows, prefilled from the last sign-in.
import { api, DEFAULT_SETTINGS, type Agent, type CommandError, type Settings, type SignInRequest, type ViewPage } from '../api';
import { NO_FILTERS, viewQuery } from './query';
import { applyTheme } from './theme';
import { toasts } from './toasts.svelte';

export type Phase = 'starting' | 'signed-out' | 'signed-in';

/** Settings from Rust with empty values replaced by the defaults for the sign-in form. */
function withDefaults(settings: Settings): Settings {
  return {
    ...settings,
    last_host: settings.last_host || DEFAULT_SETTINGS.last_host,
    last_port: settings.last_port || DEFAULT_SETTINGS.last_port,
    last_database: settings.last_database || DEFAULT_SETTINGS.last_database,
  };
}

export class Session {
  phase = $state<Phase>('starting');
  agent = $state<Agent | null>(null);
  settings = $state<Settings>({ ...DEFAULT_SETTINGS });
  /** A note for the sign-in screen: why the agent is there (session could not resume, expired). */
  notice = $state<string | null>(null);
  /**
   * The desk's first page, asked for right after signing in: the desk then appears with its
   * rows in one paint instead of an empty frame first (taken once by the desk).
   */
  #firstPage: ViewPage | null = null;

  takeFirstPage(): ViewPage | null {
    const page = this.#firstPage;
    this.#firstPage = null;
    return page;
  }

  /** The first page of the All view, or null (the desk then loads it itself). */
  async #prefetch(): Promise<void> {
    try {
      this.#firstPage = await api.listIssues(viewQuery('all', NO_FILTERS));
    } catch {
      this.#firstPage = null;
    }
  }

  async start(): Promise<void> {
    this.phase = 'starting';
    this.agent = null;
    const [settings, agent] = await Promise.allSettled([api.getSettings(), api.resumeSession()]);
    if (settings.status === 'fulfilled') this.settings = withDefaults(settings.value);
    applyTheme(this.settings.theme);
    if (agent.status === 'fulfilled' && agent.value) {
      await this.#prefetch();
      this.agent = agent.value;
      this.phase = 'signed-in';
      return;
    }
    if (agent.status === 'rejected') {
      this.notice = `Could not sign you in automatically: ${(agent.reason as CommandError).message}`;
    }
    this.phase = 'signed-out';
  }

  /** Signs in; rejects with the CommandError so the form can show it. */
  async signIn(request: SignInRequest): Promise<Agent> {
    const agent = await api.signIn(request);
    await this.#prefetch();
    this.settings = {
      ...this.settings,
      last_host: request.host,
      last_port: request.port,
      last_database: request.database,
      last_user: request.user,
      last_security: request.security,
      last_ca_file: request.ca_file,
    };
    this.agent = agent;
    this.notice = null;
    this.phase = 'signed-in';
    return agent;
  }

  async signOut(): Promise<void> {
    try {
      await api.signOut();
    } catch (error) {
      // The agent asked to leave: leave anyway, but say that forgetting may have failed.
      toasts.error('Sign-out was not clean', error as CommandError);
    }
    this.agent = null;
    this.phase = 'signed-out';
    this.notice = null;
    try {
      this.settings = withDefaults(await api.getSettings());
    } catch {
      // keep what we had for the form
    }
  }

  /** Saves settings, applying the theme at once (optimistic); rejects on failure after reverting. */
  async saveSettings(change: Partial<Settings>): Promise<void> {
    const before = this.settings;
    this.settings = { ...before, ...change };
    applyTheme(this.settings.theme);
    try {
      this.settings = withDefaults(await api.saveSettings(this.settings));
      applyTheme(this.settings.theme);
    } catch (error) {
      this.settings = before;
      applyTheme(before.theme);
      throw error;
    }
  }

  /**
   * True (and back to the sign-in screen) when an error says the session is gone; callers
   * then need not show their own toast.
   */
  expireIf(error: CommandError): boolean {
    if (error.kind !== 'not_signed_in') return false;
    this.agent = null;
    this.phase = 'signed-out';
    this.notice = error.message || 'Your session ended. Please sign in again.';
    return true;
  }
}

export const session = new Session();
