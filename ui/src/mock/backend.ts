// A fake backend for looking at the UI in a plain browser (`npm run dev:mock`, or `?mock`
// on the dev server): answers every Tauri command from realistic in-memory data through
// `mockIPC`. Only the dev server loads this module; a production build never does.
//
// URL switches: `?mock` starts at the sign-in screen (any password signs in as amina;
// "wrong" is a wrong password, host "nowhere" is unreachable, user "bob" is no agent),
// `?mock=auto` starts signed in, `?mock=live` also reports a new issue every 40 s.
// `window.caredeskMock` has newIssue(), offline(), online() and touch(id) (another agent
// changes an issue, for trying conflicts).
import { mockIPC } from '@tauri-apps/api/mocks';
import { emit } from '@tauri-apps/api/event';

import type {
  Agent,
  CommandError,
  Counts,
  DailyCount,
  Issue,
  IssueDetail,
  IssueType,
  ListQuery,
  Page,
  Priority,
  Settings,
  SignInRequest,
  Status,
  TimelineEvent,
} from '../api';
import { EVENTS } from '../api';
import { localDayKey } from '../lib/format';

const HOUR = 3_600_000;

function rng(seed: number): () => number {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  'Amelia Hughes', 'Lukas Becker', 'Sofía Martínez', 'Oliver Schmidt', 'Priya Raman', 'Mateo Rossi', 'Hannah Müller',
  'Chen Wei', 'Fatima Al-Sayed', 'Noah Williams', 'Emma Johansson', 'Yusuf Demir', 'Chloé Dubois', 'Jonas Weber',
  'Aiko Tanaka', 'Liam O’Connor', 'Zofia Nowak', 'Kwame Mensah', 'Isabella Costa', 'Mia Fischer', 'Arjun Mehta',
  'Léa Fontaine', 'Ethan Brown', 'Nora Lindqvist', 'Omar Haddad', 'Julia Wagner', 'Diego Fernández', 'Ava Thompson',
  'Finn Hoffmann', 'Sara Khan', 'Tomás Silva', 'Elif Yılmaz', 'Benjamin Koch', 'Grace Kim', 'Max Schulz',
];

const DESCRIPTIONS: Record<IssueType, string[]> = {
  not_received: [
    'My order was supposed to arrive on Monday but the tracking has said "in transit" for six days now. Can you check with the courier?',
    'Tracking says delivered but nothing was at my door or with the neighbours.\nI was home all day.',
    'Ordered a birthday present two weeks ago and it still has not shipped. The party is on Saturday!',
  ],
  quality: [
    'The seams on the jacket started coming apart after wearing it twice.',
    'The blender makes a burning smell after about 30 seconds of use. I stopped using it right away.',
    'Colour is much duller than on the product photos, and the fabric feels thin.',
  ],
  wrong_item: [
    'I ordered the blue size M hoodie and received a black size XL.',
    'The box contained a completely different product (a phone case instead of headphones).',
  ],
  damaged: [
    'The parcel arrived crushed and one of the glasses inside is broken. Photos attached to my email.',
    'Box was soaking wet on arrival, the book inside is damaged.',
  ],
  payment: [
    'I was charged twice for the same order. Both charges show on my card statement.',
    'Payment failed at checkout but the money was still taken from my account.',
  ],
  refund: [
    'I sent the return back on the 3rd (tracking RT-88213) and have not received my refund yet.',
    'How do I return an item I bought with a gift card?',
  ],
  app: [
    'The app crashes every time I open my order history (Android 14, app version 5.2.1).',
    'I cannot log in on the website: it keeps saying my session expired.\n\nTried two browsers and cleared cookies.',
  ],
  other: [
    'Can I change the delivery address of an order that has already shipped?',
    'Do you ship to Norway? The checkout does not list it.',
  ],
};

const RESPONSES = [
  'Hi! I have contacted the courier and asked them to investigate. I will get back to you within 24 hours.',
  'Sorry about this. We have sent a replacement today, you will get a tracking number by email.',
  'Your refund has been issued and should show on your statement within 3–5 working days.',
  'Thanks for the details. Could you send us a photo of the damage so we can file a claim?',
];

const AGENTS = ['amina', 'jonas', 'li.wei'];
const TYPES: IssueType[] = ['not_received', 'quality', 'wrong_item', 'damaged', 'payment', 'refund', 'app', 'other'];

type Db = { issues: Issue[]; events: TimelineEvent[]; nextIssue: number; nextEvent: number };

function slug(name: string): string {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z]+/g, '.')
    .replace(/^\.|\.$/g, '');
}

function phoneFor(r: () => number): { phone: string; e164: string } {
  const kind = Math.floor(r() * 4);
  const digits = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 10)).join('');
  if (kind === 0) {
    const d = digits(7);
    return { phone: `0151 ${d}`, e164: `+49151${d}` };
  }
  if (kind === 1) {
    const d = digits(6);
    return { phone: `07700 ${d}`, e164: `+447700${d}` };
  }
  if (kind === 2) {
    const d = digits(7);
    return { phone: `+1 (415) ${d.slice(0, 3)}-${d.slice(3)}`, e164: `+1415${d}` };
  }
  const d = digits(8);
  return { phone: `+91 98${d}`, e164: `+9198${d}` };
}

function seed(now: number): Db {
  const r = rng(20261123);
  const db: Db = { issues: [], events: [], nextIssue: 1, nextEvent: 1 };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(r() * list.length)];
  const event = (issue_id: number, at: number, actor: string, kind: string, detail: unknown) =>
    db.events.push({ id: db.nextEvent++, issue_id, at: new Date(at).toISOString(), actor, kind, detail });

  // Oldest first, so ids grow with time.
  const count = 170;
  const times = Array.from({ length: count }, () => now - Math.pow(r(), 1.4) * 15.5 * 24 * HOUR).sort((a, b) => a - b);
  for (const created of times) {
    const id = db.nextIssue++;
    const name = pick(NAMES);
    const issue_type = pick(TYPES);
    const ageH = (now - created) / HOUR;
    const priority: Priority = r() < 0.14 ? 'urgent' : r() < 0.3 ? 'high' : 'normal';
    let status: Status = 'open';
    const roll = r();
    if (ageH > 30) status = roll < 0.82 ? 'resolved' : roll < 0.93 ? 'in-progress' : 'open';
    else if (ageH > 6) status = roll < 0.45 ? 'resolved' : roll < 0.75 ? 'in-progress' : 'open';
    else status = roll < 0.15 ? 'in-progress' : 'open';
    const { phone, e164 } = phoneFor(r);
    const issue: Issue = {
      id,
      name,
      email: `${slug(name)}${Math.floor(r() * 90 + 10)}@${pick(['gmail.com', 'outlook.com', 'web.de', 'proton.me', 'yahoo.co.uk'])}`,
      phone,
      phone_e164: e164,
      order_id: r() < 0.85 ? `CD-${Math.floor(10000 + r() * 89999)}` : null,
      issue_type,
      description: pick(DESCRIPTIONS[issue_type]),
      priority,
      status: 'open',
      created_at: new Date(created).toISOString(),
      updated_at: new Date(created).toISOString(),
      admin_response: null,
      resolved_at: null,
    };
    event(id, created, 'caredesk_web', 'created', { issue_type, priority, status: 'open' });
    let t = created;
    const step = () => (t = Math.min(now - 60_000, t + r() * Math.min(10, Math.max(0.2, ageH / 3)) * HOUR));
    if (status !== 'open') {
      const who = pick(AGENTS);
      step();
      event(id, t, who, 'status_changed', { from: 'open', to: 'in-progress' });
      issue.status = 'in-progress';
      if (r() < 0.8) {
        step();
        const text = pick(RESPONSES);
        issue.admin_response = text;
        event(id, t, who, 'responded', { response: text });
      }
      if (status === 'resolved') {
        step();
        event(id, t, who, 'status_changed', { from: 'in-progress', to: 'resolved' });
        issue.status = 'resolved';
        issue.resolved_at = new Date(t).toISOString();
      }
      issue.updated_at = new Date(t).toISOString();
    }
    db.issues.push(issue);
  }

  // A few hand-made ones near the top: the XSS probe, a long multi-line text, a fresh urgent one.
  const special: Partial<Issue>[] = [
    {
      name: 'Mallory Test',
      issue_type: 'other',
      priority: 'high',
      description: 'Hello <img src=x onerror=alert(1)> — this should show as text.\n<script>alert("x")</script>\nSee https://example.com/order?id=1 (not a link).',
    },
    {
      name: 'Margarethe von Hohenzollern-Sigmaringen',
      issue_type: 'damaged',
      priority: 'urgent',
      order_id: 'CD-2024-INTL-000918273',
      description:
        'Dear CareDesk team,\n\nthe parcel with my order arrived today, but the outer box was torn open on one side and two of the four ceramic plates inside are broken.\n\nThe courier asked me to sign anyway. I have kept everything, including the packaging.\n\nPlease tell me how to proceed — I need the set for a family dinner next weekend.\n\nKind regards,\nMargarethe',
    },
  ];
  for (const [n, s] of special.entries()) {
    const created = now - (n === 0 ? 5 : 0.6) * HOUR;
    const id = db.nextIssue++;
    const { phone, e164 } = phoneFor(r);
    db.issues.push({
      id,
      name: s.name!,
      email: `${slug(s.name!)}@example.org`,
      phone,
      phone_e164: e164,
      order_id: s.order_id ?? null,
      issue_type: s.issue_type!,
      description: s.description!,
      priority: s.priority!,
      status: 'open',
      created_at: new Date(created).toISOString(),
      updated_at: new Date(created).toISOString(),
      admin_response: null,
      resolved_at: null,
    });
    event(id, created, 'caredesk_web', 'created', { issue_type: s.issue_type, priority: s.priority, status: 'open' });
  }
  db.issues.sort((a, b) => Date.parse(a.created_at) - Date.parse(b.created_at) || a.id - b.id);
  return db;
}

function fail(kind: CommandError['kind'], message: string, fields: Record<string, string[]> | null = null): never {
  throw { kind, message, fields } satisfies CommandError;
}

const delay = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function newer(a: Issue, b: Issue): number {
  return Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id;
}

export function installMockBackend(): void {
  const now = Date.now();
  const db = seed(now);
  const mode = new URLSearchParams(location.search).get('mock') ?? '';
  const agentFor = (user: string, host = '127.0.0.1', port = 5432, database = 'caredesk'): Agent => ({
    user,
    is_admin: user === 'amina',
    host,
    port,
    database,
  });
  let agent: Agent | null = mode === 'auto' || mode === 'live' ? agentFor('amina') : null;
  let settings: Settings = {
    notify_level: 'urgent',
    theme: 'system',
    last_host: '127.0.0.1',
    last_port: 5432,
    last_database: 'caredesk',
    last_user: 'amina',
    ...(JSON.parse(localStorage.getItem('caredesk-mock-settings') ?? '{}') as Partial<Settings>),
  };

  const find = (id: number) => db.issues.find((i) => i.id === id) ?? fail('not_found', `Issue #${id} does not exist (any more).`);
  const detail = (issue: Issue): IssueDetail => ({
    issue: { ...issue },
    timeline: db.events.filter((e) => e.issue_id === issue.id).sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.id - b.id),
    links: {
      call: `tel:${issue.phone_e164}`,
      whatsapp: `https://wa.me/${issue.phone_e164.replace('+', '')}?text=${encodeURIComponent(`Hello ${issue.name}, this is CareDesk about your issue #${issue.id}.`)}`,
      email: `mailto:${issue.email}?subject=${encodeURIComponent(`Your issue #${issue.id}`)}&body=`,
    },
  });
  const signedIn = () => agent ?? fail('not_signed_in', 'You are signed out. Please sign in again.');
  const stamp = (issue: Issue, actor: string, changes: { status?: Status | null; priority?: Priority | null; response?: string | null }) => {
    const at = new Date(Math.max(Date.now(), Date.parse(issue.updated_at) + 1)).toISOString();
    const ev = (kind: string, d: unknown) => db.events.push({ id: db.nextEvent++, issue_id: issue.id, at, actor, kind, detail: d });
    if (changes.status && changes.status !== issue.status) {
      ev('status_changed', { from: issue.status, to: changes.status });
      issue.status = changes.status;
      issue.resolved_at = changes.status === 'resolved' ? at : null;
    }
    if (changes.priority && changes.priority !== issue.priority) {
      ev('priority_changed', { from: issue.priority, to: changes.priority });
      issue.priority = changes.priority;
    }
    if (changes.response != null && changes.response !== issue.admin_response) {
      ev('responded', { response: changes.response });
      issue.admin_response = changes.response;
    }
    issue.updated_at = at;
  };

  const handlers: Record<string, (args: Record<string, unknown>) => unknown> = {
    resume_session: () => agent,
    get_settings: () => settings,
    save_settings: (a) => {
      settings = a.settings as Settings;
      localStorage.setItem('caredesk-mock-settings', JSON.stringify(settings));
      return settings;
    },
    sign_in: (a) => {
      const r = a.request as SignInRequest;
      if (!r.password) fail('invalid', 'Enter your password.', { password: ['Enter your password.'] });
      if (r.host === 'nowhere') fail('unreachable', `Could not reach the database server at ${r.host}:${r.port} (connection refused). Check the address and that the server is running.`);
      if (r.password === 'wrong') fail('wrong_password', `Wrong password for ${r.user}.`);
      if (r.user === 'bob') fail('not_an_agent', `The login "bob" is not a CareDesk agent. Ask an admin to add it with "caredesk-server agent add bob".`);
      agent = agentFor(r.user, r.host, r.port, r.database);
      settings = { ...settings, last_host: r.host, last_port: r.port, last_database: r.database, last_user: r.user };
      return agent;
    },
    sign_out: () => {
      agent = null;
      return null;
    },
    list_issues: (a) => {
      signedIn();
      const q = a.query as ListQuery;
      const term = q.search?.trim().toLowerCase() ?? '';
      const digits = term.replace(/\D/g, '');
      let rows = db.issues
        .filter((i) => !q.status || i.status === q.status)
        .filter((i) => !q.priority || i.priority === q.priority)
        .filter((i) => !q.unresolved || i.status !== 'resolved')
        .filter((i) => !q.resolved_since || (i.resolved_at !== null && Date.parse(i.resolved_at) >= Date.parse(q.resolved_since)))
        .filter(
          (i) =>
            !term ||
            i.name.toLowerCase().includes(term) ||
            i.email.toLowerCase().includes(term) ||
            (digits.length >= 3 && i.phone_e164.includes(digits)),
        )
        .sort(newer);
      const cursor = q.cursor;
      if (cursor) {
        const at = Date.parse(cursor.created_at);
        rows = rows.filter((i) => Date.parse(i.created_at) < at || (Date.parse(i.created_at) === at && i.id < cursor.id));
      }
      const limit = q.limit ?? 50;
      const page = rows.slice(0, limit).map((i) => ({ ...i }));
      const last = page[page.length - 1];
      return { issues: page, next: rows.length > limit && last ? { created_at: last.created_at, id: last.id } : null } satisfies Page;
    },
    issue_counts: () => {
      signedIn();
      const midnight = new Date();
      midnight.setHours(0, 0, 0, 0);
      const c: Counts = { open: 0, in_progress: 0, urgent_open: 0, resolved_today: 0, total: db.issues.length };
      for (const i of db.issues) {
        if (i.status === 'open') c.open++;
        if (i.status === 'in-progress') c.in_progress++;
        if (i.status !== 'resolved' && i.priority === 'urgent') c.urgent_open++;
        if (i.status === 'resolved' && i.resolved_at && Date.parse(i.resolved_at) >= midnight.getTime()) c.resolved_today++;
      }
      return c;
    },
    daily_counts: (a) => {
      signedIn();
      const days = Number(a.days);
      const today = new Date();
      const since = new Date(today.getFullYear(), today.getMonth(), today.getDate() - (days - 1)).getTime();
      const map = new Map<string, number>();
      for (const i of db.issues) {
        if (Date.parse(i.created_at) < since) continue;
        const key = `${localDayKey(new Date(i.created_at))}|${i.issue_type}`;
        map.set(key, (map.get(key) ?? 0) + 1);
      }
      return [...map.entries()]
        .map(([k, count]) => {
          const [day, issue_type] = k.split('|');
          return { day, issue_type: issue_type as IssueType, count } satisfies DailyCount;
        })
        .sort((x, y) => x.day.localeCompare(y.day));
    },
    get_issue: (a) => {
      signedIn();
      return detail(find(Number(a.id)));
    },
    update_issue: (a) => {
      const me = signedIn();
      const issue = find(Number(a.id));
      if (a.seen !== issue.updated_at) {
        const last = db.events.filter((e) => e.issue_id === issue.id && e.kind !== 'created').pop();
        const what = last ? `${last.actor} ${last.kind === 'responded' ? 'responded' : `changed the ${last.kind.replace('_changed', '')}`}` : 'Someone changed it';
        fail('conflict', `${what} at ${new Date(issue.updated_at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}, after you opened issue #${issue.id}. Nothing was saved.`);
      }
      const response = a.response as string | null;
      if (response !== null && response.length > 5000) fail('invalid', 'The response is too long.', { response: ['At most 5000 characters.'] });
      stamp(issue, me.user, { status: a.status as Status | null, priority: a.priority as Priority | null, response });
      return detail(issue);
    },
    delete_issue: (a) => {
      const me = signedIn();
      if (!me.is_admin) fail('permission_denied', 'Only admins may delete issues.');
      const issue = find(Number(a.id));
      if (issue.status !== 'resolved') fail('not_resolved', `Issue #${issue.id} is ${issue.status}; only resolved issues may be deleted.`);
      if (a.seen !== issue.updated_at) fail('conflict', `Issue #${issue.id} changed after you opened it. Nothing was deleted.`);
      db.issues = db.issues.filter((i) => i !== issue);
      return null;
    },
    open_contact: (a) => {
      signedIn();
      const d = detail(find(Number(a.id)));
      const channel = a.channel as 'call' | 'whatsapp' | 'email';
      console.info('[mock] open_contact', channel, d.links[channel], a.draft);
      return null;
    },
  };

  mockIPC(
    async (cmd, payload) => {
      const handler = handlers[cmd];
      if (!handler) throw `Command ${cmd} not found`;
      await delay(cmd === 'sign_in' ? 450 : 90 + Math.random() * 160);
      return handler((payload ?? {}) as Record<string, unknown>);
    },
    { shouldMockEvents: true },
  );

  const controls = {
    newIssue(priority: Priority = 'urgent') {
      const r = rng(Date.now());
      const name = NAMES[Math.floor(r() * NAMES.length)];
      const issue_type = TYPES[Math.floor(r() * TYPES.length)];
      const { phone, e164 } = phoneFor(r);
      const at = new Date().toISOString();
      const issue: Issue = {
        id: db.nextIssue++,
        name,
        email: `${slug(name)}@example.com`,
        phone,
        phone_e164: e164,
        order_id: `CD-${Math.floor(10000 + r() * 89999)}`,
        issue_type,
        description: DESCRIPTIONS[issue_type][0],
        priority,
        status: 'open',
        created_at: at,
        updated_at: at,
        admin_response: null,
        resolved_at: null,
      };
      db.issues.push(issue);
      db.events.push({ id: db.nextEvent++, issue_id: issue.id, at, actor: 'caredesk_web', kind: 'created', detail: { issue_type, priority, status: 'open' } });
      void emit(EVENTS.issueCreated, { id: issue.id, priority, issue_type });
      return issue.id;
    },
    offline(message = 'connection refused (127.0.0.1:5432)') {
      void emit(EVENTS.dbStatus, { online: false, message });
    },
    online() {
      void emit(EVENTS.dbStatus, { online: true, message: null });
    },
    touch(id: number) {
      stamp(find(id), 'jonas', { priority: 'high' });
      void emit(EVENTS.issueChanged, { id, deleted: false, by: 'jonas' });
    },
  };
  (window as unknown as { caredeskMock: typeof controls }).caredeskMock = controls;
  if (mode === 'live') setInterval(() => controls.newIssue(Math.random() < 0.3 ? 'urgent' : 'normal'), 40_000);
  console.info('[mock] CareDesk mock backend installed: window.caredeskMock', Object.keys(controls));
}
