// Tests answer the UI's commands through Tauri's mockIPC, typed against the command
// signatures generated from the Rust side: a handler for a renamed command, or one that
// answers the wrong shape, does not compile.
import { mockIPC } from '@tauri-apps/api/mocks';

import type { Commands } from '../api';

type Answer<K extends keyof Commands> = Commands[K]['returns'] | Promise<Commands[K]['returns']>;

/** An answer for each command a test cares about; the others answer null. */
export type Handlers = { [K in keyof Commands]?: (args: Commands[K]['args']) => Answer<K> };

/** One call the UI made. */
export type Call = { [K in keyof Commands]: { cmd: K; args: Commands[K]['args'] } }[keyof Commands];

/** Answers through `handlers` and records every call, in order. */
export function mockCommands(handlers: Handlers, options: { shouldMockEvents?: boolean } = {}): Call[] {
  const calls: Call[] = [];
  mockIPC((cmd, args) => {
    const call = { cmd, args: args ?? {} } as Call;
    calls.push(call);
    const handler = handlers[call.cmd] as ((args: unknown) => unknown) | undefined;
    return handler ? handler(call.args) : null;
  }, options);
  return calls;
}

/** The arguments of each call of one command, in order. */
export function argsOf<K extends keyof Commands>(calls: Call[], cmd: K): Commands[K]['args'][] {
  return calls.filter((c) => c.cmd === cmd).map((c) => c.args as Commands[K]['args']);
}
