// How many training workers a suite runs on: its own number field (the pool
// size is a property of this machine, not of the experiment, so it is not in the config or the link).
import { useEffect, useId, useState } from 'react';
import { defaultPoolSize, MAX_POOL_SIZE, setPoolSize, usePlayground } from '../state/store';

export function PoolSizeField() {
  const id = useId();
  const poolSize = usePlayground((s) => s.poolSize);
  const runCount = usePlayground((s) => s.runCount);
  const fallback = defaultPoolSize(runCount);
  const value = poolSize ?? fallback;
  const [text, setText] = useState(String(value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    // Follow the default as the run count changes, without fighting the user's typing.
    if (!error && Number(text) !== value) setText(String(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const cores = typeof navigator !== 'undefined' ? navigator.hardwareConcurrency : undefined;
  const help =
    `Training workers the suite's runs are spread over, one run per worker at a time (from the next start). ` +
    `Default: ${fallback} (${cores ? `${cores} cores − 1` : 'cores − 1'}, at most the ${runCount} runs). Every run owns its seeds, so the numbers do not depend on it.`;
  const onText = (t: string) => {
    setText(t);
    if (t.trim() === '') {
      setError(null);
      setPoolSize(null);
      return;
    }
    const n = Number(t);
    const why = setPoolSize(/^\s*\d+\s*$/.test(t) ? n : NaN);
    setError(why);
  };
  return (
    <div className={`field${error ? ' has-error' : ''}`}>
      <label htmlFor={id} title={help}>
        Workers
      </label>
      <input id={id} type="number" min={1} max={MAX_POOL_SIZE} step={1} value={text} aria-invalid={!!error} title={help} onChange={(e) => onText(e.target.value)} />
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
