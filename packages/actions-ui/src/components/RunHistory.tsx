import type { RunRecord, RunSource } from '@aihio/actions-core';
import { type HTMLAttributes, type ReactNode, useEffect, useId, useMemo, useState } from 'react';
import { useRuns } from '../hooks';
import type { MessageKey } from '../i18n/en';
import {
  durationText,
  newestFirst,
  type RunOutcomeKind,
  relativeTime,
  runErrorText,
  runOutcomeKind,
} from '../lib/run-format';
import { useControllableState } from '../lib/use-controllable-state';
import { useRootProps, useTranslator } from '../provider';

/** A run as the history shows it: the contract's run record (`truncated` flags an egress cut). */
export type RunHistoryRun = RunRecord;

/** Which runs the history lists. */
export type RunSourceFilter = 'all' | RunSource;

export interface RunHistoryProps extends Omit<HTMLAttributes<HTMLElement>, 'children'> {
  /** Standalone: the runs to show (any order; shown newest first). Without it the history loads them. */
  runs?: readonly RunHistoryRun[];
  /** Standalone: show the loading skeleton. */
  loading?: boolean;
  /** Standalone: why the runs could not be loaded (shown with Try again when `onRefresh` is set). */
  error?: { code: string; message?: string } | null;
  /** Standalone: reload the runs (Refresh, and Try again after an error). */
  onRefresh?: () => void;
  /** Standalone: a reload is under way. */
  refreshing?: boolean;
  /** Connected (inside `ActionsProvider`): whose runs to load. They reload when a test of the action finishes. */
  chatbotId?: string;
  actionId?: string;
  /** Controlled source filter; with `defaultSource` (default `all`) it is uncontrolled. */
  source?: RunSourceFilter;
  defaultSource?: RunSourceFilter;
  onSourceChange?: (source: RunSourceFilter) => void;
  /** How many runs show before "Show more" (default 10). */
  pageSize?: number;
  /** The clock relative times count from; defaults to the browser's, refreshed every 30 s. */
  now?: Date | number;
  /** The title's heading level (default 3). */
  headingLevel?: 2 | 3 | 4;
}

/**
 * The recent runs of one action, tests and agent calls, newest first: when (relative, with the
 * absolute time in the title and for screen readers), source, outcome (the HTTP status, or the
 * error code explained), duration and a truncation flag. Never values or bodies: runs do not
 * store them. Loading, empty, error and filtered states; a narrow panel stacks each run, a wide
 * one lines them up in columns (a container query).
 */
export function RunHistory(props: RunHistoryProps) {
  return props.runs !== undefined || props.loading || props.error ? (
    <RunHistoryView {...props} />
  ) : (
    <ConnectedRunHistory {...props} />
  );
}

function ConnectedRunHistory({ chatbotId, actionId, ...props }: RunHistoryProps) {
  if (!chatbotId || !actionId) {
    throw new Error('`RunHistory` needs `runs`, or `chatbotId` and `actionId` inside `ActionsProvider`.');
  }
  const query = useRuns(chatbotId, actionId);
  return (
    <RunHistoryView
      {...props}
      runs={query.data}
      loading={query.isPending}
      error={query.isError ? query.error : null}
      onRefresh={() => void query.refetch()}
      refreshing={query.isFetching && !query.isPending}
    />
  );
}

/** The browser's clock, ticking slowly so "2 minutes ago" stays true while the page is open. */
function useNow(fixed: Date | number | undefined): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (fixed !== undefined) return;
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, [fixed]);
  return fixed === undefined ? now : typeof fixed === 'number' ? fixed : fixed.getTime();
}

const FILTERS: { value: RunSourceFilter; label: MessageKey }[] = [
  { value: 'all', label: 'runs.filter.all' },
  { value: 'test', label: 'runs.filter.test' },
  { value: 'agent', label: 'runs.filter.agent' },
];

const BADGE_VARIANT: Record<RunOutcomeKind, string> = {
  success: 'success',
  redirect: 'warning',
  'client-error': 'error',
  'server-error': 'error',
  failed: 'error',
};

function RunHistoryView({
  runs,
  loading = false,
  error = null,
  onRefresh,
  refreshing = false,
  source: sourceProp,
  defaultSource = 'all',
  onSourceChange,
  pageSize = 10,
  now: nowProp,
  headingLevel = 3,
  className,
  chatbotId: _chatbotId,
  actionId: _actionId,
  ...rest
}: RunHistoryProps) {
  const t = useTranslator();
  const rootProps = useRootProps(className ? `aihio-run-history ${className}` : 'aihio-run-history');
  const titleId = `aihio-${useId().replace(/:/g, '')}-runs-title`;
  const now = useNow(nowProp);
  const [source, setSource] = useControllableState<RunSourceFilter>({
    value: sourceProp,
    defaultValue: defaultSource,
    onChange: onSourceChange,
  });
  const [shown, setShown] = useState(pageSize);
  const sorted = useMemo(() => newestFirst(runs ?? []), [runs]);
  const filtered = source === 'all' ? sorted : sorted.filter((run) => run.source === source);
  const Heading = `h${headingLevel}` as 'h2' | 'h3' | 'h4';

  let state: 'loading' | 'error' | 'empty' | 'ready';
  let content: ReactNode;
  if (loading) {
    state = 'loading';
    content = (
      <div className="aihio-skeleton-list" aria-busy="true">
        <p className="aihio-muted" role="status">
          {t.t('runs.loading')}
        </p>
        <div className="aihio-skeleton aihio-run-skeleton" />
        <div className="aihio-skeleton aihio-run-skeleton" />
        <div className="aihio-skeleton aihio-run-skeleton" />
      </div>
    );
  } else if (error) {
    state = 'error';
    content = (
      <div className="aihio-alert" data-variant="error" role="alert" data-code={error.code}>
        <p>{t.t('runs.error')}</p>
        <p>{t.error(error.code, error.message)}</p>
        {onRefresh ? (
          <button
            type="button"
            className="aihio-button"
            data-variant="secondary"
            onClick={onRefresh}
            disabled={refreshing}
          >
            {t.t('common.retry')}
          </button>
        ) : null}
      </div>
    );
  } else if (sorted.length === 0) {
    state = 'empty';
    content = (
      <div className="aihio-empty" data-slot="empty">
        <p className="aihio-notice-title">{t.t('runs.empty.title')}</p>
        <p className="aihio-muted">{t.t('runs.empty.body')}</p>
      </div>
    );
  } else {
    state = 'ready';
    const visible = filtered.slice(0, Math.max(1, shown));
    const more = filtered.length - visible.length;
    content = (
      <>
        <fieldset className="aihio-segmented aihio-run-filter">
          <legend className="aihio-visually-hidden">{t.t('runs.filter.label')}</legend>
          {FILTERS.map((filter) => (
            <button
              key={filter.value}
              type="button"
              aria-pressed={source === filter.value}
              data-state={source === filter.value ? 'on' : 'off'}
              onClick={() => setSource(filter.value)}
            >
              {t.t(filter.label)}
            </button>
          ))}
        </fieldset>
        {visible.length === 0 ? (
          <p className="aihio-muted" data-slot="filtered-empty">
            {t.t('runs.filter.none')}
          </p>
        ) : (
          <ol className="aihio-run-list" aria-labelledby={titleId}>
            {visible.map((run) => (
              <RunItem key={run.id} run={run} now={now} />
            ))}
          </ol>
        )}
        {more > 0 ? (
          <button
            type="button"
            className="aihio-button"
            data-variant="secondary"
            data-slot="show-more"
            onClick={() => setShown((n) => n + pageSize)}
          >
            {t.t('runs.showMore', { count: Math.min(more, pageSize) })}
          </button>
        ) : null}
      </>
    );
  }

  return (
    <section {...rest} {...rootProps} data-slot="run-history" data-state={state} aria-labelledby={titleId}>
      <header className="aihio-run-history-header">
        <Heading className="aihio-section-title" id={titleId}>
          {t.t('runs.title')}
        </Heading>
        {onRefresh && state !== 'error' ? (
          <button
            type="button"
            className="aihio-button"
            data-variant="ghost"
            data-slot="refresh"
            onClick={onRefresh}
            disabled={loading || refreshing}
            aria-busy={refreshing || undefined}
          >
            {refreshing ? t.t('runs.refreshing') : t.t('runs.refresh')}
          </button>
        ) : null}
      </header>
      <p className="aihio-help">{t.t('runs.help')}</p>
      {content}
    </section>
  );
}

function RunItem({ run, now }: { run: RunHistoryRun; now: number }) {
  const t = useTranslator();
  const kind = runOutcomeKind(run);
  const absolute = t.formatDateTime(run.at);
  return (
    <li className="aihio-run" data-slot="run" data-outcome={kind} data-source={run.source}>
      <span className="aihio-run-when">
        <time dateTime={run.at} title={absolute} data-slot="when">
          {relativeTime(run.at, now, t)}
        </time>
        <span className="aihio-run-absolute">{absolute}</span>
      </span>
      <span className="aihio-badge aihio-run-source" data-slot="source" data-source={run.source}>
        {t.t(run.source === 'test' ? 'runs.source.test' : 'runs.source.agent')}
      </span>
      <span className="aihio-run-outcome" data-slot="outcome">
        {kind === 'failed' ? (
          <>
            <span
              className="aihio-badge aihio-mono"
              data-variant="error"
              data-slot="code"
              title={t.t('runs.errorCode', { code: run.outcome })}
            >
              {run.outcome}
            </span>
            <span className="aihio-run-message">{runErrorText(run.outcome, t)}</span>
          </>
        ) : (
          <span className="aihio-badge" data-variant={BADGE_VARIANT[kind]} data-slot="status">
            {run.httpStatus === null ? t.t('runs.ok') : t.t('runs.httpStatus', { status: run.httpStatus })}
          </span>
        )}
        {run.truncated ? (
          <span className="aihio-badge" data-variant="warning" data-slot="truncated">
            {t.t('runs.truncated')}
          </span>
        ) : null}
      </span>
      <span className="aihio-run-duration aihio-muted" data-slot="duration">
        {durationText(run.durationMs, t)}
      </span>
    </li>
  );
}
