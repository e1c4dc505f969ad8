import type { StoredAction } from '@aihio/actions-core';
import { useState } from 'react';
import { useActions, useChatbot, useDeleteAction, useMe, useSetEnabled } from '../hooks';
import type { Translator } from '../i18n/translate';
import { runErrorText, runOutcomeKind } from '../lib/run-format';
import { useRootProps, useTranslator } from '../provider';
import { ConfirmDialog } from './dialog';
import { Badge } from './ui/badge';
import { Button } from './ui/button';
import { Switch } from './ui/switch';
import { useToast } from './ui/toast';

export interface ActionListProps {
  chatbotId: string;
  /** Shows "Add action". */
  onAdd?: () => void;
  /** Shows an Edit button per action. */
  onEdit?: (action: StoredAction) => void;
  /** Called after an action was deleted. */
  onDeleted?: (actionId: string) => void;
  /** Where the upgrade notice links when the workspace's plan has no actions (`plan_required`). */
  upgradeUrl?: string;
  className?: string;
}

/**
 * The last run in one line. Only a 2xx is OK: an upstream 4xx/5xx answered, but the call failed
 * (the agent got an error); a 3xx is a redirect the executor never follows; an error code is
 * explained in the owner's language, never shown raw.
 */
export function lastRunText(action: Pick<StoredAction, 'lastRun'>, t: Translator): string {
  const run = action.lastRun;
  if (!run) return t.t('list.lastRun.never');
  const kind = runOutcomeKind(run);
  const status = run.httpStatus ?? '—';
  const outcome =
    kind === 'success'
      ? t.t('list.lastRun.ok', { status })
      : kind === 'redirect'
        ? t.t('list.lastRun.redirect', { status })
        : kind === 'failed'
          ? t.t('list.lastRun.failed', { outcome: runErrorText(run.outcome, t) })
          : t.t('list.lastRun.httpError', { status });
  const source = t.t(run.source === 'test' ? 'list.lastRun.source.test' : 'list.lastRun.source.agent');
  return `${outcome} · ${t.formatDateTime(run.at)} (${source})`;
}

/** Why turning an action on would make every call fail, in the owner's words; empty when nothing. */
function enableProblems(action: StoredAction, identitySet: boolean | undefined, t: Translator): string[] {
  const problems: string[] = [];
  if (action.auth.type !== 'none' && action.credential === null) {
    problems.push(t.t('list.enable.credentialMissing'));
  }
  // `undefined` while the chatbot loads (or failed to): no warning rather than a wrong one.
  if (action.requireVerifiedIdentity && identitySet === false)
    problems.push(t.t('list.enable.identityMissing'));
  return problems;
}

/**
 * A chatbot's actions with enable switches (optimistic, rolled back on failure), badges for auth,
 * identity and what is missing, the last run, and add / edit / delete (delete confirmed in a
 * dialog). Turning on an action that cannot work yet (no credential, no identity secret) asks
 * first. Empty, loading, error and `plan_required` (upgrade) states.
 */
export function ActionList({ chatbotId, onAdd, onEdit, onDeleted, upgradeUrl, className }: ActionListProps) {
  const t = useTranslator();
  const rootProps = useRootProps(className ? `aihio-action-list ${className}` : 'aihio-action-list');
  const actions = useActions(chatbotId);
  const chatbot = useChatbot(chatbotId);
  const setEnabled = useSetEnabled(chatbotId);
  const remove = useDeleteAction(chatbotId);
  const toast = useToast();
  const [toDelete, setToDelete] = useState<StoredAction | null>(null);
  const [toEnable, setToEnable] = useState<{ action: StoredAction; problems: string[] } | null>(null);
  const titleId = `aihio-actions-${chatbotId}-title`;
  const planRequired = actions.isError && actions.error.code === 'plan_required';
  const identitySet = chatbot.data ? chatbot.data.identitySecret !== null : undefined;

  const toggle = (action: StoredAction, enabled: boolean) => {
    const problems = enabled ? enableProblems(action, identitySet, t) : [];
    if (problems.length > 0) {
      setToEnable({ action, problems });
      return;
    }
    setEnabled.mutate({ actionId: action.id, enabled });
  };

  const header = (
    <header className="aihio-list-header">
      <h2 className="aihio-title" id={titleId}>
        {t.t('list.title')}
      </h2>
      {onAdd && !planRequired ? (
        <Button variant="primary" onClick={onAdd} disabled={actions.isPending}>
          {t.t('list.add')}
        </Button>
      ) : null}
    </header>
  );

  let content: React.ReactNode;
  let state: string;
  if (actions.isPending) {
    state = 'loading';
    content = (
      <div className="aihio-skeleton-list" aria-busy="true">
        <p className="aihio-muted" role="status">
          {t.t('list.loading')}
        </p>
        <div className="aihio-skeleton" />
        <div className="aihio-skeleton" />
      </div>
    );
  } else if (actions.isError) {
    if (planRequired) {
      state = 'plan-required';
      content = <PlanRequired upgradeUrl={upgradeUrl} />;
    } else {
      state = 'error';
      content = (
        <div className="aihio-alert" data-variant="error" role="alert" data-code={actions.error.code}>
          <p>{t.t('list.error')}</p>
          <p>{t.error(actions.error.code, actions.error.message)}</p>
          <Button variant="secondary" onClick={() => void actions.refetch()}>
            {t.t('common.retry')}
          </Button>
        </div>
      );
    }
  } else if (actions.data.length === 0) {
    state = 'empty';
    content = (
      <div className="aihio-empty" data-slot="empty">
        <h3 className="aihio-notice-title">{t.t('list.empty.title')}</h3>
        <p className="aihio-muted">{t.t('list.empty.body')}</p>
      </div>
    );
  } else {
    state = 'ready';
    content = (
      <ul className="aihio-list" aria-labelledby={titleId}>
        {actions.data.map((action) => {
          const credentialMissing = action.auth.type !== 'none' && action.credential === null;
          const identityMissing = action.requireVerifiedIdentity && identitySet === false;
          const kind = action.lastRun ? runOutcomeKind(action.lastRun) : null;
          return (
            <li
              key={action.id}
              className="aihio-list-item"
              data-slot="action-item"
              data-state={action.enabled ? 'on' : 'off'}
            >
              <div className="aihio-list-main">
                <span className="aihio-mono aihio-identifier">{action.identifier}</span>
                <span className="aihio-muted aihio-description">{action.description}</span>
                <span className="aihio-list-badges" data-slot="action-badges">
                  {action.auth.type !== 'none' ? (
                    <Badge variant="outline">{t.t(`list.badge.auth.${action.auth.type}`)}</Badge>
                  ) : null}
                  {action.requireVerifiedIdentity ? (
                    <Badge variant="info">{t.t('list.badge.identity')}</Badge>
                  ) : null}
                  {credentialMissing ? (
                    <Badge variant="warning">{t.t('list.status.credentialMissing')}</Badge>
                  ) : null}
                  {identityMissing ? (
                    <Badge variant="warning">{t.t('list.status.identityMissing')}</Badge>
                  ) : null}
                </span>
                <span className="aihio-muted aihio-meta" data-outcome={kind ?? undefined}>
                  <span className="aihio-mono">{action.method}</span> · {t.t('list.lastRun')}:{' '}
                  {lastRunText(action, t)}
                </span>
              </div>
              <div className="aihio-list-status">
                <span className="aihio-switch-field">
                  <Switch
                    checked={action.enabled}
                    aria-label={t.t('list.enabledLabel', { identifier: action.identifier })}
                    onCheckedChange={(enabled) => toggle(action, enabled)}
                  />
                  <span className="aihio-switch-text" aria-hidden="true">
                    {action.enabled ? t.t('list.status.on') : t.t('list.status.off')}
                  </span>
                </span>
                {onEdit ? (
                  <Button
                    variant="secondary"
                    aria-label={t.t('list.editLabel', { identifier: action.identifier })}
                    onClick={() => onEdit(action)}
                  >
                    {t.t('common.edit')}
                  </Button>
                ) : null}
                <Button
                  variant="destructive-outline"
                  aria-label={t.t('list.deleteLabel', { identifier: action.identifier })}
                  onClick={() => setToDelete(action)}
                >
                  {t.t('common.delete')}
                </Button>
              </div>
            </li>
          );
        })}
      </ul>
    );
  }

  return (
    <section {...rootProps} data-slot="action-list" data-state={state} aria-labelledby={titleId}>
      {header}
      {setEnabled.isError ? (
        <p className="aihio-alert" data-variant="error" role="alert" data-slot="toggle-error">
          {t.t('list.toggleFailed', { message: t.error(setEnabled.error.code, setEnabled.error.message) })}
        </p>
      ) : null}
      {remove.isError ? (
        <p className="aihio-alert" data-variant="error" role="alert">
          {t.error(remove.error.code, remove.error.message)}
        </p>
      ) : null}
      {content}
      <ConfirmDialog
        open={toEnable !== null}
        onOpenChange={(open) => {
          if (!open) setToEnable(null);
        }}
        title={t.t('list.enable.title', { identifier: toEnable?.action.identifier ?? '' })}
        body={toEnable?.problems.join(' ') ?? ''}
        confirmLabel={t.t('list.enable.confirm')}
        onConfirm={() => {
          if (!toEnable) return;
          setEnabled.mutate({ actionId: toEnable.action.id, enabled: true });
          setToEnable(null);
        }}
      />
      <ConfirmDialog
        open={toDelete !== null}
        onOpenChange={(open) => {
          if (!open) setToDelete(null);
        }}
        title={t.t('list.delete.title', { identifier: toDelete?.identifier ?? '' })}
        // Only an action with a stored credential has one to delete.
        body={t.t(toDelete?.credential ? 'list.delete.body' : 'list.delete.bodyNoCredential')}
        confirmLabel={t.t('list.delete.confirm')}
        destructive
        pending={remove.isPending}
        onConfirm={() => {
          if (!toDelete) return;
          const { id, identifier } = toDelete;
          remove.mutate(
            { actionId: id },
            {
              onSuccess: () => {
                setToDelete(null);
                toast({ title: t.t('list.deleted', { identifier }), variant: 'success' });
                onDeleted?.(id);
              },
              onError: () => setToDelete(null),
            },
          );
        }}
      />
    </section>
  );
}

/** The upgrade state: what the plan lacks, what Starter brings, and where to upgrade. */
function PlanRequired({ upgradeUrl }: { upgradeUrl: string | undefined }) {
  const t = useTranslator();
  const me = useMe();
  const plan = me.data?.workspace.plan;
  return (
    <div className="aihio-notice aihio-upgrade" data-slot="plan-required">
      <h3 className="aihio-notice-title">{t.t('list.planRequired.title')}</h3>
      <p>{t.t('list.planRequired.body')}</p>
      <p className="aihio-muted">{t.t('list.planRequired.points')}</p>
      {plan ? (
        <p className="aihio-muted" data-slot="current-plan">
          {t.t('list.planRequired.current', { plan: plan.charAt(0).toUpperCase() + plan.slice(1) })}
        </p>
      ) : null}
      {upgradeUrl ? (
        <Button variant="primary" asChild>
          <a href={upgradeUrl}>{t.t('list.planRequired.link')}</a>
        </Button>
      ) : null}
    </div>
  );
}
