import { useCallback, useState } from 'react';
import { errorMessage } from '../api/client';

/**
 * A form's submit: runs the action once at a time, shows the failure where the person is looking
 * (the returned `error`, rendered inline), and says when it is busy.
 */
export function useFormAction() {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async (action: () => Promise<unknown>) => {
    setError(null);
    setBusy(true);
    try {
      await action();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }, []);
  return { error, setError, busy, run };
}
