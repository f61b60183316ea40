// Generated from the Rust side by `cargo test` (src-tauri/src/contract.rs): do not edit.
// ./test.sh fails when this file differs from what the Rust side generates.
import type { Agent } from '../bindings/Agent';
import type { Channel } from '../bindings/Channel';
import type { ConnectionChoices } from '../bindings/ConnectionChoices';
import type { ConnectionSecurity } from '../bindings/ConnectionSecurity';
import type { CustomerRecords } from '../bindings/CustomerRecords';
import type { CustomerWrote } from '../bindings/CustomerWrote';
import type { DailyCount } from '../bindings/DailyCount';
import type { DbStatus } from '../bindings/DbStatus';
import type { ErrorKind } from '../bindings/ErrorKind';
import type { FilledReply } from '../bindings/FilledReply';
import type { FullPhoto } from '../bindings/FullPhoto';
import type { IssueChanged } from '../bindings/IssueChanged';
import type { IssueCreated } from '../bindings/IssueCreated';
import type { IssueDetail } from '../bindings/IssueDetail';
import type { IssueType } from '../bindings/IssueType';
import type { IssueUpdated } from '../bindings/IssueUpdated';
import type { MatchBy } from '../bindings/MatchBy';
import type { NotifyLevel } from '../bindings/NotifyLevel';
import type { Password } from '../bindings/Password';
import type { Placeholder } from '../bindings/Placeholder';
import type { Priority } from '../bindings/Priority';
import type { RemindEvery } from '../bindings/RemindEvery';
import type { RepliesChanged } from '../bindings/RepliesChanged';
import type { ResponseTimes } from '../bindings/ResponseTimes';
import type { Satisfaction } from '../bindings/Satisfaction';
import type { SavedReply } from '../bindings/SavedReply';
import type { Settings } from '../bindings/Settings';
import type { SignInRequest } from '../bindings/SignInRequest';
import type { Status } from '../bindings/Status';
import type { TeamChanged } from '../bindings/TeamChanged';
import type { TeamMember } from '../bindings/TeamMember';
import type { Theme } from '../bindings/Theme';
import type { View } from '../bindings/View';
import type { ViewCount } from '../bindings/ViewCount';
import type { ViewPage } from '../bindings/ViewPage';
import type { ViewQuery } from '../bindings/ViewQuery';

/** Each command the UI may call: its arguments, by name, and its answer. */
export type Commands = {
  sign_in: { args: { request: SignInRequest }; returns: Agent };
  resume_session: { args: Record<string, never>; returns: Agent | null };
  sign_out: { args: Record<string, never>; returns: null };
  connection_choices: { args: { host: string }; returns: ConnectionChoices };
  choose_ca_file: { args: Record<string, never>; returns: string | null };
  list_issues: { args: { query: ViewQuery }; returns: ViewPage };
  view_counts: { args: Record<string, never>; returns: Array<ViewCount> };
  daily_counts: { args: { days: number }; returns: Array<DailyCount> };
  satisfaction: { args: Record<string, never>; returns: Satisfaction };
  response_times: { args: Record<string, never>; returns: ResponseTimes };
  get_issue: { args: { id: number }; returns: IssueDetail };
  update_issue: { args: { id: number; seen: string; status: Status | null; priority: Priority | null; response: string | null; email: boolean }; returns: IssueUpdated };
  take_issue: { args: { id: number; seen: string }; returns: IssueUpdated };
  assign_issue: { args: { id: number; seen: string; owner: string | null }; returns: IssueUpdated };
  list_agents: { args: Record<string, never>; returns: Array<string> };
  add_note: { args: { id: number; text: string }; returns: IssueUpdated };
  merge_issue: { args: { id: number; into: number; other_customer: boolean }; returns: IssueUpdated };
  delete_issue: { args: { id: number; seen: string }; returns: null };
  photo: { args: { id: number }; returns: FullPhoto };
  save_photo: { args: { id: number }; returns: string | null };
  customer_records: { args: { issue_id: number; by: MatchBy }; returns: CustomerRecords };
  export_customer: { args: { issue_id: number; by: MatchBy }; returns: string | null };
  erase_customer: { args: { issue_id: number; by: MatchBy }; returns: string };
  list_replies: { args: Record<string, never>; returns: Array<SavedReply> };
  save_reply: { args: { id: number | null; title: string; body: string }; returns: RepliesChanged };
  delete_reply: { args: { id: number }; returns: RepliesChanged };
  fill_reply: { args: { reply_id: number; issue_id: number }; returns: FilledReply };
  open_contact: { args: { id: number; channel: Channel; draft: string | null }; returns: null };
  open_order_page: { args: { id: number }; returns: null };
  list_team: { args: Record<string, never>; returns: Array<TeamMember> };
  add_agent: { args: { login: string; password: Password | null; admin: boolean }; returns: TeamChanged };
  set_agent_enabled: { args: { login: string; enabled: boolean }; returns: TeamChanged };
  reset_agent_password: { args: { login: string; password: Password | null }; returns: TeamChanged };
  set_agent_admin: { args: { login: string; admin: boolean }; returns: TeamChanged };
  change_own_password: { args: { password: Password }; returns: string };
  get_settings: { args: Record<string, never>; returns: Settings };
  save_settings: { args: { settings: Settings }; returns: Settings };
};

export const COMMAND_NAMES = ["sign_in","resume_session","sign_out","connection_choices","choose_ca_file","list_issues","view_counts","daily_counts","satisfaction","response_times","get_issue","update_issue","take_issue","assign_issue","list_agents","add_note","merge_issue","delete_issue","photo","save_photo","customer_records","export_customer","erase_customer","list_replies","save_reply","delete_reply","fill_reply","open_contact","open_order_page","list_team","add_agent","set_agent_enabled","reset_agent_password","set_agent_admin","change_own_password","get_settings","save_settings"] as const;

/** Reaches one command; `../index.ts` gives the real one, tests a mock. */
export type Invoke = <K extends keyof Commands>(command: K, args: Commands[K]['args']) => Promise<Commands[K]['returns']>;

/** One function per command, with the command's own argument names. */
export function commandsVia(invoke: Invoke) {
  return {
    signIn: (request: SignInRequest) => invoke('sign_in', { request }),
    resumeSession: () => invoke('resume_session', {}),
    signOut: () => invoke('sign_out', {}),
    connectionChoices: (host: string) => invoke('connection_choices', { host }),
    chooseCaFile: () => invoke('choose_ca_file', {}),
    listIssues: (query: ViewQuery) => invoke('list_issues', { query }),
    viewCounts: () => invoke('view_counts', {}),
    dailyCounts: (days: number) => invoke('daily_counts', { days }),
    satisfaction: () => invoke('satisfaction', {}),
    responseTimes: () => invoke('response_times', {}),
    getIssue: (id: number) => invoke('get_issue', { id }),
    updateIssue: (id: number, seen: string, status: Status | null, priority: Priority | null, response: string | null, email: boolean) => invoke('update_issue', { id, seen, status, priority, response, email }),
    takeIssue: (id: number, seen: string) => invoke('take_issue', { id, seen }),
    assignIssue: (id: number, seen: string, owner: string | null) => invoke('assign_issue', { id, seen, owner }),
    listAgents: () => invoke('list_agents', {}),
    addNote: (id: number, text: string) => invoke('add_note', { id, text }),
    mergeIssue: (id: number, into: number, other_customer: boolean) => invoke('merge_issue', { id, into, other_customer }),
    deleteIssue: (id: number, seen: string) => invoke('delete_issue', { id, seen }),
    photo: (id: number) => invoke('photo', { id }),
    savePhoto: (id: number) => invoke('save_photo', { id }),
    customerRecords: (issue_id: number, by: MatchBy) => invoke('customer_records', { issue_id, by }),
    exportCustomer: (issue_id: number, by: MatchBy) => invoke('export_customer', { issue_id, by }),
    eraseCustomer: (issue_id: number, by: MatchBy) => invoke('erase_customer', { issue_id, by }),
    listReplies: () => invoke('list_replies', {}),
    saveReply: (id: number | null, title: string, body: string) => invoke('save_reply', { id, title, body }),
    deleteReply: (id: number) => invoke('delete_reply', { id }),
    fillReply: (reply_id: number, issue_id: number) => invoke('fill_reply', { reply_id, issue_id }),
    openContact: (id: number, channel: Channel, draft: string | null) => invoke('open_contact', { id, channel, draft }),
    openOrderPage: (id: number) => invoke('open_order_page', { id }),
    listTeam: () => invoke('list_team', {}),
    addAgent: (login: string, password: Password | null, admin: boolean) => invoke('add_agent', { login, password, admin }),
    setAgentEnabled: (login: string, enabled: boolean) => invoke('set_agent_enabled', { login, enabled }),
    resetAgentPassword: (login: string, password: Password | null) => invoke('reset_agent_password', { login, password }),
    setAgentAdmin: (login: string, admin: boolean) => invoke('set_agent_admin', { login, admin }),
    changeOwnPassword: (password: Password) => invoke('change_own_password', { password }),
    getSettings: () => invoke('get_settings', {}),
    saveSettings: (settings: Settings) => invoke('save_settings', { settings }),
  };
}

/** The events the Rust side emits, by name, with their payloads. */
export type Events = {
  'issue-created': IssueCreated;
  'issue-changed': IssueChanged;
  'db-status': DbStatus;
  'customer-wrote': CustomerWrote;
};

/** Every kind of error a command can answer with. */
export const ERROR_KINDS: readonly ErrorKind[] = ["invalid","not_found","conflict","not_resolved","permission_denied","unavailable","wrong_password","unreachable","not_an_agent","no_encryption","wrong_server_name","untrusted_certificate","not_signed_in","internal"];

/** A value of a closed set with its words (an icon, a note, a short label) as the agent sees them. */
export type Choice<T> = { value: T; label: string; icon?: string; note?: string; short?: string };

export const ISSUE_TYPES: readonly Choice<IssueType>[] = [
  {
    "value": "not_received",
    "label": "Order Not Received",
    "icon": "📦",
    "short": "Not received"
  },
  {
    "value": "quality",
    "label": "Product Quality Issue",
    "icon": "⚠️",
    "short": "Quality"
  },
  {
    "value": "wrong_item",
    "label": "Wrong Item Delivered",
    "icon": "❌",
    "short": "Wrong item"
  },
  {
    "value": "damaged",
    "label": "Damaged Packaging",
    "icon": "💔",
    "short": "Damaged"
  },
  {
    "value": "payment",
    "label": "Payment Issues",
    "icon": "💳",
    "short": "Payment"
  },
  {
    "value": "refund",
    "label": "Refund/Return Query",
    "icon": "💰",
    "short": "Refund"
  },
  {
    "value": "app",
    "label": "App/Website Issues",
    "icon": "📱",
    "short": "App/Web"
  },
  {
    "value": "other",
    "label": "Other Issues",
    "icon": "❓",
    "short": "Other"
  }
];

export const PRIORITIES: readonly Choice<Priority>[] = [
  {
    "value": "normal",
    "label": "Normal",
    "icon": "🔵"
  },
  {
    "value": "high",
    "label": "High",
    "icon": "🟠"
  },
  {
    "value": "urgent",
    "label": "Urgent",
    "icon": "🔴"
  }
];

export const STATUSES: readonly Choice<Status>[] = [
  {
    "value": "open",
    "label": "Open",
    "icon": "🔴"
  },
  {
    "value": "in-progress",
    "label": "In progress",
    "icon": "🟡"
  },
  {
    "value": "resolved",
    "label": "Resolved",
    "icon": "🟢"
  }
];

export const VIEWS: readonly Choice<View>[] = [
  {
    "value": "all",
    "label": "All",
    "icon": "inbox"
  },
  {
    "value": "open",
    "label": "Open",
    "icon": "circle"
  },
  {
    "value": "in-progress",
    "label": "In progress",
    "icon": "halfcircle"
  },
  {
    "value": "urgent",
    "label": "Urgent",
    "icon": "flame"
  },
  {
    "value": "resolved-today",
    "label": "Resolved today",
    "icon": "done"
  },
  {
    "value": "mine",
    "label": "Mine",
    "icon": "person"
  },
  {
    "value": "overdue",
    "label": "Overdue",
    "icon": "clock"
  }
];

export const NOTIFY_LEVELS: readonly Choice<NotifyLevel>[] = [
  {
    "value": "urgent",
    "label": "Urgent issues only"
  },
  {
    "value": "high_and_urgent",
    "label": "High and urgent issues"
  },
  {
    "value": "none",
    "label": "No notifications"
  }
];

export const REMINDERS: readonly Choice<RemindEvery>[] = [
  {
    "value": "five_minutes",
    "label": "Every 5 minutes"
  },
  {
    "value": "ten_minutes",
    "label": "Every 10 minutes"
  },
  {
    "value": "thirty_minutes",
    "label": "Every 30 minutes"
  },
  {
    "value": "never",
    "label": "Never"
  }
];

export const THEMES: readonly Choice<Theme>[] = [
  {
    "value": "system",
    "label": "Follow the system"
  },
  {
    "value": "light",
    "label": "Light"
  },
  {
    "value": "dark",
    "label": "Dark"
  }
];

export const CONNECTION_SECURITY: readonly Choice<ConnectionSecurity>[] = [
  {
    "value": "verified",
    "label": "Encrypted and verified (recommended)",
    "note": "The server must prove who it is with a certificate from a CA your computer trusts, or from the CA file your admin gave you."
  },
  {
    "value": "encrypted",
    "label": "Encrypted, server not verified",
    "note": "Nobody can read the connection, but anyone who can redirect your network could pose as the server and receive your password."
  },
  {
    "value": "none",
    "label": "Not encrypted (this computer only)",
    "note": "Everything, your password too, travels in the clear: allowed only for a database on this computer."
  }
];

/** Limits the UI shows; the Rust side enforces them. */
export const LIMITS = {
  responseMaxChars: 10000,
  pageSize: 50,
  dueSoonMinutes: 120,
  replyTitleMaxChars: 100,
  passwordMinChars: 12,
} as const;

/** The placeholders a saved reply may use, and what each stands for. */
export const PLACEHOLDERS: readonly Placeholder[] = [
  {
    "token": "{customer_name}",
    "meaning": "the customer's name"
  },
  {
    "token": "{order_id}",
    "meaning": "the order id"
  },
  {
    "token": "{issue_number}",
    "meaning": "the issue number, #1042"
  },
  {
    "token": "{agent_name}",
    "meaning": "your login"
  },
  {
    "token": "{status_link}",
    "meaning": "a fresh link to the customer's status page"
  },
  {
    "token": "{shop_name}",
    "meaning": "the shop's name"
  }
];

/** The settings until the desktop's stored ones arrive. */
export const DEFAULT_SETTINGS: Settings = {
  "notify_level": "urgent",
  "remind_every": "ten_minutes",
  "theme": "system",
  "last_host": "127.0.0.1",
  "last_port": 5432,
  "last_database": "caredesk",
  "last_user": "",
  "last_security": "none",
  "last_ca_file": null
};
