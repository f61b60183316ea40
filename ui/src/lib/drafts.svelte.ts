// Drafts by issue id: switching issues (or a conflict) never loses what an agent typed.
import { SvelteMap } from 'svelte/reactivity';

/** Responses to the customer. */
export const drafts = new SvelteMap<number, string>();
/** Internal notes for the other agents. */
export const noteDrafts = new SvelteMap<number, string>();
