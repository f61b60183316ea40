// The shared library of saved replies: loaded once per sign-in, replaced by what the Rust
// side answers after each change (it returns the whole library).
import { api, type CommandError, type SavedReply } from '../api';

export class SavedReplies {
  list = $state<SavedReply[]>([]);
  loaded = $state(false);

  async load(): Promise<void> {
    try {
      this.list = await api.listReplies();
      this.loaded = true;
    } catch (error) {
      // the response box works without them; the dialog says why when opened
      console.warn('CareDesk: saved replies did not load', error as CommandError);
    }
  }

  /** Adds (`id` null) or replaces one; resolves with what happened, rejects with a CommandError. */
  async save(id: number | null, title: string, body: string): Promise<string> {
    const changed = await api.saveReply(id, title, body);
    this.list = changed.replies;
    return changed.said;
  }

  async remove(id: number): Promise<string> {
    const changed = await api.deleteReply(id);
    this.list = changed.replies;
    return changed.said;
  }
}

export const savedReplies = new SavedReplies();
