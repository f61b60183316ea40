// The dashboard's state: the current view and filters, the loaded rows with their cursor,
// the live counts and chart numbers, which rows are unread, and the open issue (IssuePane).
import { SvelteSet } from 'svelte/reactivity';

import {
  api,
  on,
  type CommandError,
  type Cursor,
  type CustomerWrote,
  type DailyCount,
  type DbStatus,
  type Issue,
  type IssueChanged,
  type IssueCreated,
  type IssueUpdated,
  type Priority,
  type ResponseTimes,
  type Satisfaction,
  type Status,
  type View,
  type ViewCount,
  type ViewPage,
} from '../api';
import { savedReplies } from './replies.svelte';
import { IssuePane, type PaneHost } from './pane.svelte';
import { hasFilters, mergeFirstPage, NO_FILTERS, viewQuery, type Filters, type OwnerChoice } from './query';
import { session } from './session.svelte';
import { toasts } from './toasts.svelte';

export const SEARCH_DEBOUNCE_MS = 250;
export const CHART_DAYS = 14;
/**
 * New and changed issues are pushed to us; a quiet refresh this often (and when the window
 * regains focus, at most every FOCUS_REFRESH_MS) keeps the relative ages and the chart current.
 */
const POLL_MS = 60_000;
const FOCUS_REFRESH_MS = 15_000;
/** Pushed events arriving this close together (a burst after a reconnect) cause one refresh. */
export const LIVE_REFRESH_MS = 300;

export class Desk implements PaneHost {
  view = $state<View>('all');
  filters = $state<Filters>({ ...NO_FILTERS });
  /** The search box as typed; `filters.search` follows it after the debounce. */
  searchText = $state('');

  issues = $state<Issue[]>([]);
  next = $state<Cursor | null>(null);
  loading = $state(false);
  loadingMore = $state(false);
  loaded = $state(false);
  listError = $state<string | null>(null);
  /** The view and the filters contradict each other: nothing can match. */
  impossible = $state(false);

  counts = $state<ViewCount[] | null>(null);
  daily = $state<DailyCount[] | null>(null);
  /** The customers' answers to "Did this solve your problem?" of the last 30 days. */
  satisfaction = $state<Satisfaction | null>(null);
  /** How the response promise was kept in the last 30 days. */
  responseTimes = $state<ResponseTimes | null>(null);

  online = $state(true);
  offlineMessage = $state<string | null>(null);

  /** Issues reported while the app was open and not yet opened by this agent. */
  readonly unread = new SvelteSet<number>();
  /** Rows with a quick action on the way to the database. */
  readonly pending = new SvelteSet<number>();
  /** Every agent's login, for the owner filter and handing over. */
  agents = $state<string[]>([]);
  /** The row the keyboard is on. */
  selectedId = $state<number | null>(null);

  readonly pane: IssuePane;

  #listSeq = 0;
  #searchTimer: ReturnType<typeof setTimeout> | null = null;
  #lastRefresh = 0;
  #liveTimer: ReturnType<typeof setTimeout> | null = null;

  /** The signed-in login, to tell our own changes from other agents'. */
  #me: () => string | null;

  /** The first page when it was fetched before the desk appeared (see Session). */
  #firstPage: ViewPage | null;

  constructor(me: () => string | null = () => session.agent?.user ?? null, firstPage: ViewPage | null = null) {
    this.#me = me;
    this.#firstPage = firstPage;
    this.pane = new IssuePane(this);
  }

  get filtered(): boolean {
    return hasFilters(this.filters);
  }

  /** A view's live count, or null before the first counts arrive. */
  countOf(view: View): number | null {
    return this.counts?.find((c) => c.view === view)?.count ?? null;
  }

  /** Loads everything and listens for live changes; returns the cleanup. */
  start(): () => void {
    if (this.#firstPage) this.#show(this.#firstPage);
    else void this.reload();
    this.#firstPage = null;
    void this.refreshCounts();
    void this.refreshDaily();
    void this.refreshSatisfaction();
    void this.loadAgents();
    void savedReplies.load();
    this.#lastRefresh = Date.now();
    const unlisten: Promise<() => void>[] = [
      on('issue-created', (issue) => this.issueCreated(issue)),
      on('issue-changed', (change) => this.issueChanged(change)),
      on('db-status', (status) => this.dbStatus(status)),
      on('customer-wrote', (wrote) => this.customerWrote(wrote)),
    ].map((p) =>
      p.catch((error: unknown) => {
        // Without events the desk still works; the quiet refresh below keeps it current.
        console.warn('CareDesk: live updates are off', error);
        return () => {};
      }),
    );
    const poll = setInterval(() => {
      if (this.online && document.visibilityState !== 'hidden') this.refreshAll();
    }, POLL_MS);
    const onFocus = () => {
      if (this.online && Date.now() - this.#lastRefresh > FOCUS_REFRESH_MS) this.refreshAll();
    };
    window.addEventListener('focus', onFocus);
    return () => {
      clearInterval(poll);
      window.removeEventListener('focus', onFocus);
      if (this.#searchTimer) clearTimeout(this.#searchTimer);
      if (this.#liveTimer) clearTimeout(this.#liveTimer);
      for (const p of unlisten) void p.then((stop) => stop());
    };
  }

  /** Shows an error in plain words unless it means the session is gone. */
  report(what: string, error: CommandError): void {
    if (session.expireIf(error)) return;
    toasts.error(what, error);
  }

  // ── the list ──────────────────────────────────────────────────────────────────────────

  /**
   * Loads the first page for the current view and filters. `silent` keeps the rows on
   * screen and merges (live refresh); otherwise the list shows it is loading.
   */
  async reload(options: { silent?: boolean } = {}): Promise<void> {
    const seq = ++this.#listSeq;
    if (!options.silent) this.loading = true;
    try {
      const page = await api.listIssues(viewQuery(this.view, this.filters));
      if (seq !== this.#listSeq) return;
      this.#show(options.silent ? { ...mergeFirstPage(this.issues, this.next, page), contradictory: page.contradictory } : page);
    } catch (error) {
      if (seq !== this.#listSeq) return;
      const e = error as CommandError;
      this.listError = e.message;
      if (!options.silent) this.report('Could not load issues', e);
    } finally {
      if (seq === this.#listSeq) this.loading = false;
    }
  }

  /** Shows a first page (fresh or merged into what was loaded). */
  #show(page: ViewPage): void {
    this.impossible = page.contradictory;
    this.issues = page.issues;
    this.next = page.next;
    this.listError = null;
    this.loaded = true;
    if (this.selectedId !== null && !this.issues.some((i) => i.id === this.selectedId)) this.selectedId = null;
  }

  async loadMore(): Promise<void> {
    if (!this.next || this.loadingMore) return;
    const seq = this.#listSeq;
    this.loadingMore = true;
    try {
      const page = await api.listIssues({ ...viewQuery(this.view, this.filters), cursor: this.next });
      if (seq !== this.#listSeq) return;
      const have = new Set(this.issues.map((i) => i.id));
      this.issues = [...this.issues, ...page.issues.filter((i) => !have.has(i.id))];
      this.next = page.next;
    } catch (error) {
      this.report('Could not load more issues', error as CommandError);
    } finally {
      this.loadingMore = false;
    }
  }

  setView(view: View): void {
    if (this.view === view) {
      void this.reload();
      return;
    }
    this.view = view;
    this.selectedId = null;
    void this.reload();
  }

  setStatusFilter(status: Status | ''): void {
    this.filters = { ...this.filters, status };
    void this.reload();
  }

  setPriorityFilter(priority: Priority | ''): void {
    this.filters = { ...this.filters, priority };
    void this.reload();
  }

  setOwnerFilter(owner: OwnerChoice): void {
    this.filters = { ...this.filters, owner };
    void this.reload();
  }

  /** The agents an issue can be handed to (asked once; a failure leaves the list empty). */
  async loadAgents(): Promise<void> {
    try {
      this.agents = (await api.listAgents()) ?? [];
    } catch (error) {
      session.expireIf(error as CommandError);
    }
  }

  /** The search box changed: search on the server once the agent pauses typing. */
  typeSearch(text: string): void {
    this.searchText = text;
    if (this.#searchTimer) clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => this.searchNow(), SEARCH_DEBOUNCE_MS);
  }

  /** Runs the typed search at once (Enter, or the debounce ran out). */
  searchNow(): void {
    if (this.#searchTimer) clearTimeout(this.#searchTimer);
    this.#searchTimer = null;
    if (this.filters.search === this.searchText) return;
    this.filters = { ...this.filters, search: this.searchText };
    void this.reload();
  }

  clearSearch(): void {
    this.searchText = '';
    this.searchNow();
  }

  clearFilters(): void {
    if (this.#searchTimer) clearTimeout(this.#searchTimer);
    this.searchText = '';
    this.filters = { ...NO_FILTERS };
    void this.reload();
  }

  // ── live numbers ──────────────────────────────────────────────────────────────────────

  async refreshCounts(): Promise<void> {
    try {
      this.counts = await api.viewCounts();
    } catch (error) {
      const e = error as CommandError;
      if (!session.expireIf(e) && this.counts === null) this.report('Could not load the counts', e);
    }
  }

  async refreshDaily(): Promise<void> {
    try {
      this.daily = await api.dailyCounts(CHART_DAYS);
    } catch (error) {
      session.expireIf(error as CommandError);
      // the chart is a nicety: it just stays empty
    }
  }

  /** The dashboard's rates of the last 30 days: satisfaction and response times. */
  async refreshSatisfaction(): Promise<void> {
    try {
      [this.satisfaction, this.responseTimes] = await Promise.all([api.satisfaction(), api.responseTimes()]);
    } catch (error) {
      session.expireIf(error as CommandError);
      // like the chart, a nicety: it stays as it was
    }
  }

  refreshAll(): void {
    this.#lastRefresh = Date.now();
    void this.reload({ silent: true });
    void this.refreshCounts();
    void this.refreshDaily();
  }

  /** One quiet refresh for a burst of pushed events. */
  #refreshSoon(): void {
    if (this.#liveTimer) clearTimeout(this.#liveTimer);
    this.#liveTimer = setTimeout(() => {
      this.#liveTimer = null;
      this.refreshAll();
    }, LIVE_REFRESH_MS);
  }

  issueCreated(issue: IssueCreated): void {
    this.unread.add(issue.id);
    this.#refreshSoon();
  }

  /**
   * Someone changed or deleted an issue. Our own changes are on screen already; another
   * agent's show up in the list, the counts and, if it is open here, the detail.
   */
  issueChanged(change: IssueChanged): void {
    if (change.by === this.#me()) return;
    if (change.deleted) {
      this.removeIssue(change.id);
      if (this.pane.id === change.id) {
        if (change.said) toasts.info(change.said);
        this.pane.close();
      }
    } else if (this.pane.id === change.id) {
      if (change.said) toasts.info(change.said);
      this.pane.refresh();
    } else if (this.issues.some((i) => i.id === change.id)) {
      // the refresh below renews the first page; this row may be further down
      void this.refreshRow(change.id);
    }
    this.#refreshSoon();
  }

  /** The customer wrote again from their issue's page: the list, the counts and, if it is
   * open here, the detail show it (a resolved issue is open again). */
  customerWrote(wrote: CustomerWrote): void {
    this.unread.add(wrote.id);
    if (this.pane.id === wrote.id) {
      toasts.info(wrote.summary);
      this.pane.refresh();
    } else if (this.issues.some((i) => i.id === wrote.id)) {
      void this.refreshRow(wrote.id);
    }
    this.#refreshSoon();
  }

  dbStatus(status: DbStatus): void {
    if (!status.online) {
      this.online = false;
      this.offlineMessage = status.message;
      return;
    }
    const wasOffline = !this.online;
    this.online = true;
    this.offlineMessage = null;
    if (wasOffline) {
      toasts.success('Database reachable again');
      this.refreshAll();
      this.pane.reload();
    }
  }

  // ── rows ──────────────────────────────────────────────────────────────────────────────

  /** Puts a newer copy of an issue into the list (after a change or a reload). */
  patchIssue(issue: Issue): void {
    const index = this.issues.findIndex((i) => i.id === issue.id);
    if (index >= 0) this.issues[index] = issue;
  }

  removeIssue(id: number): void {
    this.issues = this.issues.filter((i) => i.id !== id);
    this.unread.delete(id);
    if (this.selectedId === id) this.selectedId = null;
  }

  /** An issue changed through the UI: the row, the open detail and the counts follow. */
  changed(issue: Issue): void {
    this.patchIssue(issue);
    void this.refreshCounts();
  }

  open(id: number): void {
    this.selectedId = id;
    this.unread.delete(id);
    this.pane.open(id);
  }

  /** Moves the keyboard selection by `step` rows; returns the newly selected id. */
  moveSelection(step: number): number | null {
    if (this.issues.length === 0) return null;
    const index = this.issues.findIndex((i) => i.id === this.selectedId);
    const target = index < 0 ? (step > 0 ? 0 : this.issues.length - 1) : Math.min(this.issues.length - 1, Math.max(0, index + step));
    this.selectedId = this.issues[target].id;
    return this.selectedId;
  }

  /** A quick action from a row: take it (mine, and in progress), optimistically. */
  quickTake(issue: Issue): Promise<void> {
    const me = this.#me();
    if (me === null || issue.owner === me) return Promise.resolve();
    const shown = { ...issue, owner: me, status: issue.status === 'open' ? ('in-progress' as const) : issue.status };
    return this.#quick(issue, shown, 'Could not take it', () => api.takeIssue(issue.id, issue.updated_at));
  }

  /** A quick action from a row: resolve (or open again), optimistically. */
  quickStatus(issue: Issue, status: Status): Promise<void> {
    if (issue.status === status) return Promise.resolve();
    return this.#quick(issue, { ...issue, status }, 'Could not save', () =>
      api.updateIssue(issue.id, issue.updated_at, status, null, null, true),
    );
  }

  /** Shows `shown` in the row at once, sends the change, and puts the row back if it fails. */
  async #quick(issue: Issue, shown: Issue, failure: string, send: () => Promise<IssueUpdated>): Promise<void> {
    if (this.pending.has(issue.id)) return;
    this.pending.add(issue.id);
    this.patchIssue(shown);
    try {
      const { detail, said } = await send();
      this.changed(detail.issue);
      this.pane.accept(detail, issue.updated_at);
      toasts.success(said);
    } catch (error) {
      const e = error as CommandError;
      this.patchIssue(issue);
      this.report(failure, e);
      if (e.kind === 'conflict' || e.kind === 'not_found') void this.refreshRow(issue.id);
    } finally {
      this.pending.delete(issue.id);
    }
  }

  /**
   * Reloads one row after someone else changed (or deleted) it: the view is asked for just
   * that issue, so a row that no longer belongs to the view (or no longer exists) leaves it,
   * unless it is open in the detail, which reloads itself.
   */
  async refreshRow(id: number): Promise<void> {
    try {
      const page = await api.listIssues(viewQuery(this.view, this.filters, id));
      const fresh = page.issues.find((i) => i.id === id);
      if (fresh) this.patchIssue(fresh);
      else if (this.pane.id !== id) this.removeIssue(id);
      if (this.pane.id === id) this.pane.reload();
    } catch (error) {
      // the next refresh tries again; only a lost session needs saying
      session.expireIf(error as CommandError);
    }
  }
}
