import { useCallback, useId, useRef, useState } from 'react';
import { errorMessage } from '../api/client';
import { useToast } from './toast';

/**
 * Runs one action at a time (a second click while one runs does nothing, even before the button has
 * re-rendered as disabled), says when it is busy, and hands a failure's Chinese message to `onError`.
 */
function useAction(onError: (message: string) => void) {
  const [busy, setBusy] = useState(false);
  const running = useRef(false);
  const run = useCallback(
    async (action: () => Promise<unknown>): Promise<boolean> => {
      if (running.current) return false;
      running.current = true;
      setBusy(true);
      try {
        await action();
        return true;
      } catch (err) {
        onError(errorMessage(err));
        return false;
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [onError],
  );
  return { busy, run };
}

/**
 * A form's submit: runs the action once at a time, shows the failure where the person is looking
 * (the returned `error`, rendered inline), and says when it is busy.
 */
export function useFormAction() {
  const [error, setError] = useState<string | null>(null);
  const { busy, run: runAction } = useAction(setError);
  const run = useCallback(
    (act: () => Promise<unknown>): Promise<boolean> => {
      setError(null);
      return runAction(act);
    },
    [runAction],
  );
  return { error, setError, busy, run };
}

/**
 * A button's action with nothing inline to report into: once at a time, busy while it runs, a failure
 * as an error toast (taken away when the action later succeeds), and `done` (when given) as a success
 * toast. Resolves to whether it succeeded.
 */
export function useToastAction() {
  const toast = useToast();
  // This button's own errors: its next success takes them away.
  const source = useId();
  const showError = useCallback((message: string) => toast.show(message, 'error', source), [toast, source]);
  const { busy, run: runAction } = useAction(showError);
  const run = useCallback(
    async (act: () => Promise<unknown>, done?: string): Promise<boolean> => {
      const ok = await runAction(act);
      if (ok && done) toast.show(done, 'ok', source);
      else if (ok) toast.clear(source);
      return ok;
    },
    [runAction, toast, source],
  );
  return { busy, run };
}
