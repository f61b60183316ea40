// The open issue: its detail and timeline, and the changes an agent makes to it (status and
// priority in place, a response, deletion). Every change sends the `updated_at` the agent
// saw; a conflict keeps the draft, says who changed what, and reloads.
import { api, type CommandError, type Issue, type IssueDetail, type IssueUpdated, type MatchBy, type Priority, type Status } from '../api';
import { drafts, noteDrafts } from './drafts.svelte';
import { toasts } from './toasts.svelte';

/** What the open issue tells the list it belongs to (the Desk). */
export interface PaneHost {
  /** A newer copy of an issue for its row. */
  patchIssue(issue: Issue): void;
  removeIssue(id: number): void;
  /** The agent changed an issue here: its row and the counts follow. */
  changed(issue: Issue): void;
  refreshCounts(): Promise<void>;
  /** Shows an error in plain words (or signs out, if the session is gone). */
  report(what: string, error: CommandError): void;
}

export class IssuePane {
  id = $state<number | null>(null);
  detail = $state<IssueDetail | null>(null);
  loading = $state(false);
  loadError = $state<string | null>(null);

  savingStatus = $state(false);
  savingPriority = $state(false);
  savingOwner = $state(false);
  sending = $state(false);
  addingNote = $state(false);
  deleting = $state(false);
  merging = $state(false);
  erasing = $state(false);

  /** What the last conflict said, shown above the response box until the next send. */
  conflict = $state<string | null>(null);
  /** Field errors from an `invalid` answer, by field name. */
  fieldErrors = $state<Record<string, string[]>>({});

  #desk: PaneHost;
  #seq = 0;
  /**
   * Changes run one after another, each with the version the previous one left: a priority
   * change while a response is sending must not make the response conflict with ourselves.
   */
  #chain: Promise<unknown> = Promise.resolve();
  /**
   * Where our own saves moved each issue's version: "id@sent" → the version it produced.
   * A change goes out with the version the agent was looking at, moved on only through
   * these; a newer version loaded because someone else changed the issue must conflict.
   */
  #ownSaves = new Map<string, string>();

  constructor(desk: PaneHost) {
    this.#desk = desk;
  }

  open(id: number): void {
    if (this.id !== id) {
      this.detail = null;
      this.conflict = null;
      this.fieldErrors = {};
    }
    this.id = id;
    void this.load();
  }

  close(): void {
    this.#seq++;
    this.id = null;
    this.detail = null;
    this.loading = false;
    this.loadError = null;
    this.conflict = null;
    this.fieldErrors = {};
  }

  reload(): void {
    if (this.id !== null) void this.load();
  }

  /** Someone else changed the open issue: load it after any change of ours on the way. */
  refresh(): void {
    if (this.id !== null) void this.#serial(() => this.load());
  }

  async load(): Promise<void> {
    const id = this.id;
    if (id === null) return;
    const seq = ++this.#seq;
    this.loading = true;
    try {
      const detail = await api.getIssue(id);
      if (seq !== this.#seq) return;
      this.detail = detail;
      this.loadError = null;
      this.#desk.patchIssue(detail.issue);
    } catch (error) {
      if (seq !== this.#seq) return;
      const e = error as CommandError;
      this.loadError = e.message;
      if (e.kind === 'not_found') this.#desk.removeIssue(id);
      this.#desk.report('Could not open the issue', e);
    } finally {
      if (seq === this.#seq) this.loading = false;
    }
  }

  /** A newer detail for the open issue from elsewhere: our quick action on its row (which
   * sent version `sent`), or a reload. */
  accept(detail: IssueDetail, sent?: string): void {
    if (sent !== undefined) this.#ownSaves.set(`${detail.issue.id}@${sent}`, detail.issue.updated_at);
    if (this.id === detail.issue.id) this.detail = detail;
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#chain.then(task, task);
    this.#chain = run.catch(() => undefined);
    return run;
  }

  /** The newest detail of issue `id`: the open one if it still is, else what the change started from. */
  #latest(fallback: IssueDetail): IssueDetail {
    return this.detail && this.detail.issue.id === fallback.issue.id ? this.detail : fallback;
  }

  /** The version to send for a change the agent made while looking at `shown`. */
  #versionFor(shown: IssueDetail): string {
    const id = shown.issue.id;
    let version = shown.issue.updated_at;
    for (let next = this.#ownSaves.get(`${id}@${version}`); next; next = this.#ownSaves.get(`${id}@${version}`)) {
      version = next;
    }
    return version;
  }

  #onConflict(e: CommandError): Promise<void> {
    this.conflict = e.message;
    // queued, so the agent's next try waits for the fresh version
    return this.#serial(() => this.load());
  }

  /** Changes the status in place (optimistic: the select shows the new value at once). */
  async setStatus(status: Status): Promise<void> {
    const shown = this.detail;
    if (!shown || shown.issue.status === status) return;
    const from = shown.issue.status;
    this.savingStatus = true;
    this.detail = { ...shown, issue: { ...shown.issue, status } };
    await this.#serial(async () => {
      const current = this.#latest(shown);
      const seen = this.#versionFor(shown);
      try {
        // resolving emails the customer a note, while a mailer is delivering
        const { detail, said } = await api.updateIssue(current.issue.id, seen, status, null, null, true);
        this.#applied(detail, seen);
        toasts.success(said);
      } catch (error) {
        this.#failed(current, { status: from }, error as CommandError);
      } finally {
        this.savingStatus = false;
      }
    });
  }

  async setPriority(priority: Priority): Promise<void> {
    const shown = this.detail;
    if (!shown || shown.issue.priority === priority) return;
    const from = shown.issue.priority;
    this.savingPriority = true;
    this.detail = { ...shown, issue: { ...shown.issue, priority } };
    await this.#serial(async () => {
      const current = this.#latest(shown);
      const seen = this.#versionFor(shown);
      try {
        const { detail, said } = await api.updateIssue(current.issue.id, seen, null, priority, null, false);
        this.#applied(detail, seen);
        toasts.success(said);
      } catch (error) {
        this.#failed(current, { priority: from }, error as CommandError);
      } finally {
        this.savingPriority = false;
      }
    });
  }

  /** Takes the issue: the agent becomes its owner, and an open issue goes in progress. */
  take(): Promise<void> {
    return this.#changeOwner((id, seen) => api.takeIssue(id, seen));
  }

  /** Hands the issue to another agent, or to nobody (`null`). */
  assign(owner: string | null): Promise<void> {
    if (this.detail?.issue.owner === owner) return Promise.resolve();
    return this.#changeOwner((id, seen) => api.assignIssue(id, seen, owner));
  }

  async #changeOwner(send: (id: number, seen: string) => Promise<IssueUpdated>): Promise<void> {
    const shown = this.detail;
    if (!shown || this.savingOwner) return;
    this.savingOwner = true;
    await this.#serial(async () => {
      const current = this.#latest(shown);
      const seen = this.#versionFor(shown);
      try {
        const { detail, said } = await send(current.issue.id, seen);
        this.#applied(detail, seen);
        toasts.success(said);
      } catch (error) {
        this.#failed(current, {}, error as CommandError);
      } finally {
        this.savingOwner = false;
      }
    });
  }

  /**
   * Sends a response (and the status to set with it). Not optimistic: the button spins
   * until the database has it. Returns true when it was saved.
   */
  async respond(text: string, status: Status, email: boolean): Promise<boolean> {
    const shown = this.detail;
    if (!shown || this.sending) return false;
    const response = text.trim() ? text : null;
    if (response === null && status === shown.issue.status) return false;
    this.sending = true;
    this.fieldErrors = {};
    return this.#serial(async () => {
      const current = this.#latest(shown);
      const seen = this.#versionFor(shown);
      const newStatus = status !== current.issue.status ? status : null;
      try {
        const { detail, said } = await api.updateIssue(current.issue.id, seen, newStatus, null, response, email);
        this.conflict = null;
        drafts.delete(current.issue.id);
        this.#applied(detail, seen);
        toasts.success(said);
        return true;
      } catch (error) {
        const e = error as CommandError;
        if (e.kind === 'conflict') {
          toasts.error('Not sent', e);
          void this.#onConflict(e);
        } else {
          if (e.kind === 'invalid' && e.fields) this.fieldErrors = e.fields;
          this.#desk.report('Could not send the response', e);
        }
        return false;
      } finally {
        this.sending = false;
      }
    });
  }

  /**
   * Adds an internal note (only agents see it). Not a change of the issue itself, so it
   * needs no version and never conflicts. Returns true when the database has it.
   */
  async addNote(text: string): Promise<boolean> {
    const shown = this.detail;
    if (!shown || this.addingNote || !text.trim()) return false;
    const id = shown.issue.id;
    this.addingNote = true;
    this.fieldErrors = {};
    try {
      const { detail, said } = await api.addNote(id, text);
      noteDrafts.delete(id);
      if (this.id === id) this.detail = detail;
      toasts.success(said);
      return true;
    } catch (error) {
      const e = error as CommandError;
      if (e.kind === 'invalid' && e.fields) this.fieldErrors = e.fields;
      this.#desk.report('Could not add the note', e);
      return false;
    } finally {
      this.addingNote = false;
    }
  }

  /**
   * Merges the open issue into issue `into` (with `otherCustomer`, though they are two
   * customers'), then shows the kept issue. Resolves to null once merged, or to the
   * refusal's field errors (`other_customer`: the agent may confirm).
   */
  async merge(into: number, otherCustomer: boolean): Promise<Record<string, string[]> | null> {
    const shown = this.detail;
    if (!shown || this.merging) return {};
    const id = shown.issue.id;
    this.merging = true;
    try {
      const { detail, said } = await api.mergeIssue(id, into, otherCustomer);
      this.conflict = null;
      this.fieldErrors = {};
      this.#seq++;
      this.id = detail.issue.id;
      this.detail = detail;
      this.#desk.patchIssue(detail.issue);
      toasts.success(said);
      // the merged issue's row is resolved now; our own change comes back as no live event
      void api.getIssue(id).then((merged) => this.#desk.changed(merged.issue), () => this.#desk.removeIssue(id));
      return null;
    } catch (error) {
      const e = error as CommandError;
      if (e.kind === 'invalid' && e.fields) return e.fields;
      this.#desk.report('Could not merge', e);
      return {};
    } finally {
      this.merging = false;
    }
  }

  async remove(): Promise<boolean> {
    const shown = this.detail;
    if (!shown || this.deleting) return false;
    this.deleting = true;
    return this.#serial(() => this.#remove(this.#latest(shown), this.#versionFor(shown)));
  }

  /** Erases everything about the open issue's customer (an admin's privacy request): the
   * issues it `covers` leave the list, and the pane closes. */
  async eraseCustomer(by: MatchBy, covers: number[]): Promise<boolean> {
    const shown = this.detail;
    if (!shown || this.erasing) return false;
    this.erasing = true;
    try {
      const said = await api.eraseCustomer(shown.issue.id, by);
      for (const id of covers) this.#desk.removeIssue(id);
      void this.#desk.refreshCounts();
      toasts.success(said);
      this.close();
      return true;
    } catch (error) {
      this.#desk.report('Could not erase', error as CommandError);
      return false;
    } finally {
      this.erasing = false;
    }
  }

  async #remove(current: IssueDetail, seen: string): Promise<boolean> {
    try {
      await api.deleteIssue(current.issue.id, seen);
      this.#desk.removeIssue(current.issue.id);
      void this.#desk.refreshCounts();
      toasts.success(`Issue #${current.issue.id} deleted`);
      if (this.id === current.issue.id) this.close();
      return true;
    } catch (error) {
      const e = error as CommandError;
      this.#desk.report('Could not delete', e);
      if (e.kind === 'conflict' || e.kind === 'not_resolved') void this.#onConflict(e);
      return false;
    } finally {
      this.deleting = false;
    }
  }

  #applied(detail: IssueDetail, sent: string): void {
    this.#ownSaves.set(`${detail.issue.id}@${sent}`, detail.issue.updated_at);
    if (this.id === detail.issue.id) this.detail = detail;
    this.#desk.changed(detail.issue);
  }

  /** A change failed: put back what it changed, say why, and reload when someone else was first. */
  #failed(current: IssueDetail, revert: Partial<Pick<Issue, 'status' | 'priority'>>, e: CommandError): void {
    if (this.detail && this.detail.issue.id === current.issue.id) {
      this.detail = { ...this.detail, issue: { ...this.detail.issue, ...revert } };
    }
    this.#desk.report('Could not save', e);
    if (e.kind === 'invalid' && e.fields) this.fieldErrors = e.fields;
    if (e.kind === 'conflict') void this.#onConflict(e);
  }
}
