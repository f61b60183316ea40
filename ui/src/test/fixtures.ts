// Test data shaped like the Rust side's answers.
import type { Agent, Issue, IssueDetail, IssueUpdated, Settings, ViewCount, ViewPage } from '../api';

export const agent: Agent = { user: 'amina', is_admin: true, host: '127.0.0.1', port: 5432, database: 'caredesk' };

export const settings: Settings = {
  notify_level: 'urgent',
  remind_every: 'ten_minutes',
  theme: 'system',
  last_host: '127.0.0.1',
  last_port: 5432,
  last_database: 'caredesk',
  last_user: 'amina',
  last_security: 'none',
  last_ca_file: null,
};

export const counts: ViewCount[] = [
  { view: 'all', count: 42 },
  { view: 'open', count: 3 },
  { view: 'in-progress', count: 2 },
  { view: 'urgent', count: 1 },
  { view: 'resolved-today', count: 4 },
  { view: 'mine', count: 5 },
];

export function issue(id: number, overrides: Partial<Issue> = {}): Issue {
  const created = new Date(Date.now() - id * 3_600_000).toISOString();
  return {
    id,
    name: `Customer ${id}`,
    email: `customer${id}@example.com`,
    phone: '0151 2345678',
    phone_e164: '+491512345678',
    order_id: `CD-${10000 + id}`,
    issue_type: 'not_received',
    description: 'Where is my parcel?',
    priority: 'normal',
    status: 'open',
    created_at: created,
    updated_at: created,
    admin_response: null,
    resolved_at: null,
    owner: null,
    due_at: null,
    first_response_at: null,
    possible_duplicate_of: null,
    merged_into: null,
    ...overrides,
  };
}

export function detail(i: Issue): IssueDetail {
  return {
    issue: i,
    timeline: [
      {
        id: 1,
        issue_id: i.id,
        at: i.created_at,
        actor: 'caredesk_web',
        kind: 'created',
        detail: { issue_type: i.issue_type, priority: i.priority, status: 'open' },
        summary: 'Customer reported the issue',
        quote: null,
        internal: false,
      },
    ],
    links: {
      call: `tel:${i.phone_e164}`,
      whatsapp: `https://wa.me/${i.phone_e164.slice(1)}?text=Hello`,
      email: `mailto:${i.email}?subject=Issue%20${i.id}&body=`,
    },
    history: [],
    duplicates: { repeats: null, repeated_by: [] },
    order_page: null,
    mail_available: false,
    photos: [],
  };
}

/** What `update_issue` answers: the detail and the sentence the toast shows. */
export function updated(i: Issue, said = `Issue #${i.id} saved`): IssueUpdated {
  return { detail: detail(i), said };
}

/** A page of the list as `list_issues` answers. */
export function page(issues: Issue[], next: ViewPage['next'] = null): ViewPage {
  return { issues, next, contradictory: false };
}
