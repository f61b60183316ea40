// Response drafts by issue id: switching issues (or a conflict) never loses what an agent typed.
import { SvelteMap } from 'svelte/reactivity';

export const drafts = new SvelteMap<number, string>();
