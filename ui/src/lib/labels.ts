// The words and icons of issue types, priorities and statuses, looked up in the catalog
// generated from the Rust side (which owns them), never written here.
import { ISSUE_TYPES, PRIORITIES, STATUSES, type Choice, type IssueType, type Priority, type Status } from '../api';

function lookup<T extends string>(choices: readonly Choice<T>[]) {
  const byValue = new Map(choices.map((c) => [c.value, c]));
  return {
    label: (value: T): string => byValue.get(value)?.label ?? String(value),
    icon: (value: T): string => byValue.get(value)?.icon ?? '',
    short: (value: T): string => byValue.get(value)?.short ?? byValue.get(value)?.label ?? String(value),
  };
}

const types = lookup<IssueType>(ISSUE_TYPES);
const priorities = lookup<Priority>(PRIORITIES);
const statuses = lookup<Status>(STATUSES);

export const typeLabel = types.label;
export const typeIcon = types.icon;
export const typeShortLabel = types.short;
export const priorityLabel = priorities.label;
export const priorityIcon = priorities.icon;
export const statusLabel = statuses.label;
export const statusIcon = statuses.icon;

/** Each set's values, in the Rust side's order (for selects and the chart). */
export const ISSUE_TYPE_VALUES: readonly IssueType[] = ISSUE_TYPES.map((c) => c.value);
export const PRIORITY_VALUES: readonly Priority[] = PRIORITIES.map((c) => c.value);
export const STATUS_VALUES: readonly Status[] = STATUSES.map((c) => c.value);
