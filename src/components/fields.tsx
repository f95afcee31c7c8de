// Form controls bound to a path in the config draft. Each shows its own
// validation message inline (from the zod issues) and carries a tooltip.
import { useEffect, useId, useState, type ReactNode } from 'react';
import { getAt, pathKey, randomSeed, type Path } from '../state/configEdit';
import { setField, usePlayground } from '../state/store';

function useIssue(path: Path): string | undefined {
  const key = pathKey(path);
  return usePlayground((s) => {
    if (s.issues[key]) return s.issues[key];
    const sub = Object.keys(s.issues).find((k) => k.startsWith(key + '.'));
    return sub ? s.issues[sub] : undefined;
  });
}

function useLocked(path: Path): boolean {
  const key = pathKey(path);
  return usePlayground((s) => s.locked.has(key) || [...s.locked].some((l) => key.startsWith(l + '.')));
}

/**
 * The value a field shows: the draft's, except that a field the suite locks
 * shows the value of the run the diagram and the run picker show (the viewed
 * run, else the run in progress or last run), so the three always agree.
 */
export function useDraftValue<T = unknown>(path: Path): T {
  const key = pathKey(path);
  return usePlayground((s) => {
    const spec = s.run.specs.length > 1 ? s.run.specs[s.viewRun ?? s.run.runIndex] : undefined;
    if (spec && (s.locked.has(key) || [...s.locked].some((l) => key.startsWith(l + '.')))) {
      const v = getAt(spec.config, path);
      if (v !== undefined) return v as T;
    }
    return getAt(s.draft, path) as T;
  });
}

/** A small padlock (an SVG: emoji fonts are missing on many Linux machines). */
export function LockIcon() {
  return (
    <svg className="lock" width="9" height="11" viewBox="0 0 9 11" aria-hidden="true">
      <path d="M2 5V3.2a2.5 2.5 0 0 1 5 0V5" fill="none" stroke="currentColor" strokeWidth="1.3" />
      <rect x="0.5" y="5" width="8" height="5.5" rx="1" fill="currentColor" />
    </svg>
  );
}

const LOCK_HELP = 'Set by the suite: it differs between the suite’s runs or comes from the seed scheme. Leave the suite to edit it.';

function Field(props: { id: string; label: string; help: string; error?: string; children: ReactNode; locked?: boolean; wide?: boolean; testId?: string }) {
  return (
    <div className={`field${props.error ? ' has-error' : ''}${props.wide ? ' wide' : ''}`} data-testid={props.testId}>
      <label htmlFor={props.id} title={props.locked ? `${props.help}\n${LOCK_HELP}` : props.help}>
        {props.label}
        {props.locked && <LockIcon />}
      </label>
      {props.children}
      {props.error && (
        <p className="field-error" id={`${props.id}-err`} role="alert">
          {props.error}
        </p>
      )}
    </div>
  );
}

/** Parse what the user typed; anything that is not a number becomes NaN (zod explains). */
function toNumber(text: string): number {
  const t = text.trim();
  if (t === '') return NaN;
  return Number(t);
}

/**
 * A number bound to `path`. `write` replaces the default write (setField at
 * `path`), for values that live inside a list the schema wants whole.
 */
export function NumberField(props: {
  path: Path;
  label: string;
  help: string;
  step?: number;
  min?: number;
  max?: number;
  disabled?: boolean;
  slider?: boolean;
  write?: (value: number) => void;
  testId?: string;
  /** Label on its own line above the input (long labels). */
  wide?: boolean;
}) {
  const id = useId();
  const value = useDraftValue<number>(props.path);
  const error = useIssue(props.path);
  const locked = useLocked(props.path) || !!props.disabled;
  const [text, setText] = useState(() => (value === undefined || value === null || Number.isNaN(value) ? '' : String(value)));
  useEffect(() => {
    // Follow external changes (presets, URL, import) without fighting the user's typing.
    if (typeof value === 'number' && !Number.isNaN(value) && toNumber(text) !== value) setText(String(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const onText = (t: string) => {
    setText(t);
    if (props.write) props.write(toNumber(t));
    else setField(props.path, toNumber(t));
  };
  return (
    <Field id={id} label={props.label} help={props.help} error={error} locked={locked} testId={props.testId} wide={props.wide}>
      <div className="num-row">
        {props.slider && (
          <input
            type="range"
            aria-label={`${props.label} slider`}
            title={props.help}
            min={props.min}
            max={props.max}
            step={props.step}
            value={Number.isFinite(value) ? value : 0}
            disabled={locked}
            onChange={(e) => onText(e.target.value)}
          />
        )}
        <input
          id={id}
          type="text"
          inputMode="decimal"
          className="num"
          value={text}
          disabled={locked}
          title={props.help}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-err` : undefined}
          onChange={(e) => onText(e.target.value)}
        />
      </div>
    </Field>
  );
}

export function SelectField<T extends string>(props: {
  path: Path;
  label: string;
  help: string;
  options: readonly T[];
  labels?: Partial<Record<T, string>>;
  disabled?: boolean;
  onChange?: (v: T) => void;
  /** A sentence shown under the select (not only on hover): its accessible description. */
  note?: string;
  /** Label above a full-width select (long option labels). */
  wide?: boolean;
  className?: string;
}) {
  const id = useId();
  const value = useDraftValue<T>(props.path);
  const error = useIssue(props.path);
  const locked = useLocked(props.path) || !!props.disabled;
  const described = [props.note ? `${id}-note` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <Field id={id} label={props.label} help={props.help} error={error} locked={locked} wide={props.wide}>
      <select
        id={id}
        className={props.className}
        value={value ?? ''}
        disabled={locked}
        title={props.help}
        aria-invalid={!!error}
        aria-describedby={described}
        onChange={(e) => (props.onChange ? props.onChange(e.target.value as T) : setField(props.path, e.target.value))}
      >
        {props.options.map((o) => (
          <option key={o} value={o}>
            {props.labels?.[o] ?? o}
          </option>
        ))}
      </select>
      {props.note && (
        <p className="field-note" id={`${id}-note`}>
          {props.note}
        </p>
      )}
    </Field>
  );
}

/**
 * A boolean field. `note` is a sentence shown under it (not only on hover), for
 * settings whose reason the page must say; it is the checkbox's description.
 */
export function CheckField(props: { path: Path; label: string; help: string; disabled?: boolean; note?: string; testId?: string }) {
  const id = useId();
  const value = useDraftValue<boolean>(props.path);
  const error = useIssue(props.path);
  const suiteLocked = useLocked(props.path);
  const locked = suiteLocked || !!props.disabled;
  const described = [props.note ? `${id}-note` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ') || undefined;
  const help = suiteLocked ? `${props.help}\n${LOCK_HELP}` : props.help;
  return (
    <div className={`field check${error ? ' has-error' : ''}`} data-testid={props.testId}>
      <input
        id={id}
        type="checkbox"
        checked={value === true}
        disabled={locked}
        title={help}
        aria-invalid={!!error}
        aria-describedby={described}
        onChange={(e) => setField(props.path, e.target.checked)}
      />
      <label htmlFor={id} title={help}>
        {props.label}
        {suiteLocked && <LockIcon />}
      </label>
      {props.note && (
        <p className="field-note" id={`${id}-note`}>
          {props.note}
        </p>
      )}
      {error && (
        <p className="field-error" id={`${id}-err`} role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/**
 * A seed that may be empty (null in the config): empty text = null; anything
 * else goes to the schema as typed, so its message names what is wrong.
 */
export function OptionalSeedField(props: { path: Path; label: string; help: string; placeholder: string }) {
  const id = useId();
  const value = useDraftValue<number | string | null | undefined>(props.path);
  const error = useIssue(props.path);
  const locked = useLocked(props.path);
  const show = (v: unknown) => (v === null || v === undefined || (typeof v === 'number' && Number.isNaN(v)) ? '' : String(v));
  const [text, setText] = useState(() => show(value));
  useEffect(() => {
    // Follow external changes (presets, URL, import, the buttons) without fighting the typing.
    if (parseOptional(text) !== value) setText(show(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [value]);
  const onText = (t: string) => {
    setText(t);
    setField(props.path, parseOptional(t));
  };
  return (
    <div className="seed-row">
      <Field id={id} label={props.label} help={props.help} error={error} locked={locked}>
        <input
          id={id}
          type="text"
          inputMode="numeric"
          className="num"
          value={text}
          placeholder={props.placeholder}
          disabled={locked}
          title={props.help}
          aria-invalid={!!error}
          aria-describedby={error ? `${id}-err` : undefined}
          onChange={(e) => onText(e.target.value)}
        />
      </Field>
      <button
        type="button"
        className="mini"
        disabled={locked}
        title={`Draw a new random ${props.label.toLowerCase()}`}
        aria-label={`New ${props.label.toLowerCase()}`}
        onClick={() => setField(props.path, randomSeed())}
      >
        new seed
      </button>
      <button
        type="button"
        className="mini"
        disabled={locked || value === null || value === undefined}
        title={`Clear the ${props.label.toLowerCase()}: empty (none)`}
        aria-label={`Clear ${props.label.toLowerCase()}`}
        onClick={() => setField(props.path, null)}
      >
        ×
      </button>
    </div>
  );
}

/** "" → null; a whole number → that number; anything else as typed (the schema says why it is wrong). */
export function parseOptional(text: string): number | string | null {
  const t = text.trim();
  if (t === '') return null;
  return /^-?\d+(\.\d+)?(e\d+)?$/i.test(t) ? Number(t) : t;
}

/** A list of whole numbers typed as "64, 32" (empty allowed when the schema allows zero layers). */
export function ListField(props: { path: Path; label: string; help: string; placeholder?: string }) {
  const id = useId();
  const value = useDraftValue<number[]>(props.path);
  const error = useIssue(props.path);
  const locked = useLocked(props.path);
  const fmtList = (v: unknown) => (Array.isArray(v) ? v.map((n) => (Number.isFinite(n) ? String(n) : '?')).join(', ') : '');
  const [text, setText] = useState(() => fmtList(value));
  useEffect(() => {
    const parsed = parseList(text);
    if (JSON.stringify(parsed) !== JSON.stringify(value)) setText(fmtList(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [JSON.stringify(value)]);
  return (
    <Field id={id} label={props.label} help={props.help} error={error} locked={locked}>
      <input
        id={id}
        type="text"
        value={text}
        placeholder={props.placeholder}
        disabled={locked}
        title={props.help}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-err` : undefined}
        onChange={(e) => {
          setText(e.target.value);
          setField(props.path, parseList(e.target.value));
        }}
      />
    </Field>
  );
}

function parseList(text: string): number[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((t) => (/^-?\d+(\.\d+)?$/.test(t) ? Number(t) : NaN));
}

export function SeedField(props: { path: Path; label: string; help: string }) {
  const locked = useLocked(props.path);
  return (
    <div className="seed-row">
      <NumberField path={props.path} label={props.label} help={props.help} />
      <button
        type="button"
        className="mini"
        disabled={locked}
        title={`Draw a new random ${props.label.toLowerCase()}`}
        aria-label={`New ${props.label.toLowerCase()}`}
        onClick={() => setField(props.path, randomSeed())}
      >
        new seed
      </button>
    </div>
  );
}
