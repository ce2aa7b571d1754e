import { useCallback, useEffect, useRef, useState } from 'react';
import type { Channel, ChannelInput, ChannelOutput, EventPayload } from '../../../shared/contract/index';
import { errorMessage, invoke, onEvent } from './client';

export interface QueryState<T> {
  data: T | undefined;
  error: string | null;
  loading: boolean;
  reload: () => void;
}

/**
 * Runs a query channel and keeps it fresh: it runs again when its input changes and whenever the back
 * end says a matching entity changed.
 */
export function useQuery<C extends Channel>(
  channel: C,
  input: ChannelInput<C> | null,
  options: { refreshOn?: (change: EventPayload<'data:changed'>) => boolean } = {},
): QueryState<ChannelOutput<C>> {
  const [data, setData] = useState<ChannelOutput<C>>();
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const key = input === null ? null : JSON.stringify(input);
  const refreshOn = useRef(options.refreshOn);
  refreshOn.current = options.refreshOn;
  // Changes announced while an answer is on its way are read once it has arrived, not by dropping it:
  // a background job announcing a file every few milliseconds (the pre-check of a province) would
  // otherwise drop every answer and the screen would never show.
  const inFlight = useRef(false);
  const changedMeanwhile = useRef(false);

  useEffect(() => {
    if (key === null) return;
    let live = true;
    let again: ReturnType<typeof setTimeout> | null = null;
    const started = performance.now();
    inFlight.current = true;
    setLoading(true);
    invoke(channel, JSON.parse(key) as ChannelInput<C>)
      .then((value) => {
        if (!live) return;
        setData(value);
        setError(null);
      })
      .catch((err) => live && setError(errorMessage(err)))
      .finally(() => {
        if (!live) return;
        inFlight.current = false;
        setLoading(false);
        if (!changedMeanwhile.current) return;
        changedMeanwhile.current = false;
        // As long again as the answer took: a slow question is not asked back to back.
        again = setTimeout(() => setTick((t) => t + 1), performance.now() - started);
      });
    return () => {
      live = false;
      inFlight.current = false;
      if (again) clearTimeout(again);
    };
  }, [channel, key, tick]);

  useEffect(
    () =>
      onEvent('data:changed', (change) => {
        if (!refreshOn.current?.(change)) return;
        if (inFlight.current) changedMeanwhile.current = true;
        else setTick((t) => t + 1);
      }),
    [],
  );

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
