// Who is signed in, and what their role lets the console show.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { RunPrefill } from './run/run-form';
import type { Session, Settings } from './types';

export interface ConsoleContext {
  session: Session;
  settings: Settings | undefined;
  /** Auditors read everything and change nothing: no run, cancel or edit controls. */
  canWrite: boolean;
  openRun(prefill?: RunPrefill): void;
}

export const Ctx = createContext<ConsoleContext | undefined>(undefined);

export function useConsole(): ConsoleContext {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error('useConsole outside the signed-in console');
  return ctx;
}
