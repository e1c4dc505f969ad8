import type { StoredAction } from '@aihio/actions-core';
import { useState } from 'react';
import { useActions, useDeleteAction, useSetEnabled } from '../hooks';
import type { Translator } from '../i18n/translate';
import { useRootProps, useTranslator } from '../provider';
import { ConfirmDialog } from './dialog';

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

function lastRunText(action: StoredAction, t: Translator): string {
  const run = action.lastRun;
  if (!run) return t.t('list.lastRun.never');
  const outcome =
    run.outcome === 'ok'
      ? t.t('list.lastRun.ok', { status: run.httpStatus ?? '—' })
      : t.t('list.lastRun.failed', { outcome: run.outcome });
  const source = t.t(run.source === 'test' ? 'list.lastRun.source.test' : 'list.lastRun.source.agent');
  return `${outcome} · ${t.formatDateTime(run.at)} (${source})`;
}

/**
 * A chatbot's actions with enable toggles (optimistic, rolled back on failure), status, last run,
 * and add / edit / delete (delete confirmed in a dialog). Empty, loading, error and
 * `plan_required` states.
 */
export function ActionList({ chatbotId, onAdd, onEdit, onDeleted, upgradeUrl, className }: ActionListProps) {
  const t = useTranslator();
  const rootProps = useRootProps(className ? `aihio-action-list ${className}` : 'aihio-action-list');
  const actions = useActions(chatbotId);
  const setEnabled = useSetEnabled(chatbotId);
  const remove = useDeleteAction(chatbotId);
  const [toDelete, setToDelete] = useState<StoredAction | null>(null);
  const titleId = `aihio-actions-${chatbotId}-title`;

  const header = (
    <header className="aihio-list-header">
      <h2 className="aihio-title" id={titleId}>
        {t.t('list.title')}
      </h2>
      {onAdd && !(actions.isError && actions.error.code === 'plan_required') ? (
        <button
          type="button"
          className="aihio-button"
          data-variant="primary"
          onClick={onAdd}
          disabled={actions.isPending}
        >
          {t.t('list.add')}
        </button>
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
    if (actions.error.code === 'plan_required') {
      state = 'plan-required';
      content = (
        <div className="aihio-notice" data-slot="plan-required">
          <h3 className="aihio-notice-title">{t.t('list.planRequired.title')}</h3>
          <p>{t.t('list.planRequired.body')}</p>
          {upgradeUrl ? (
            <a className="aihio-button" data-variant="primary" href={upgradeUrl}>
              {t.t('list.planRequired.link')}
            </a>
          ) : null}
        </div>
      );
    } else {
      state = 'error';
      content = (
        <div className="aihio-alert" data-variant="error" role="alert" data-code={actions.error.code}>
          <p>{t.t('list.error')}</p>
          <p>{t.error(actions.error.code, actions.error.message)}</p>
          <button
            type="button"
            className="aihio-button"
            data-variant="secondary"
            onClick={() => void actions.refetch()}
          >
            {t.t('common.retry')}
          </button>
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
          const switchId = `aihio-action-${action.id}-enabled`;
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
                <span className="aihio-muted aihio-meta">
                  <span className="aihio-mono">{action.method}</span> · {t.t('list.lastRun')}:{' '}
                  {lastRunText(action, t)}
                </span>
              </div>
              <div className="aihio-list-status">
                {credentialMissing ? (
                  <span className="aihio-badge" data-variant="warning">
                    {t.t('list.status.credentialMissing')}
                  </span>
                ) : null}
                <button
                  type="button"
                  role="switch"
                  id={switchId}
                  className="aihio-switch"
                  aria-checked={action.enabled}
                  aria-label={t.t('list.enabledLabel', { identifier: action.identifier })}
                  data-state={action.enabled ? 'checked' : 'unchecked'}
                  onClick={() => setEnabled.mutate({ actionId: action.id, enabled: !action.enabled })}
                >
                  <span className="aihio-switch-thumb" aria-hidden="true" />
                </button>
                <span className="aihio-switch-text" aria-hidden="true">
                  {action.enabled ? t.t('list.status.on') : t.t('list.status.off')}
                </span>
                {onEdit ? (
                  <button
                    type="button"
                    className="aihio-button"
                    data-variant="secondary"
                    aria-label={t.t('list.editLabel', { identifier: action.identifier })}
                    onClick={() => onEdit(action)}
                  >
                    {t.t('common.edit')}
                  </button>
                ) : null}
                <button
                  type="button"
                  className="aihio-button"
                  data-variant="destructive-outline"
                  aria-label={t.t('list.deleteLabel', { identifier: action.identifier })}
                  onClick={() => setToDelete(action)}
                >
                  {t.t('common.delete')}
                </button>
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
        open={toDelete !== null}
        onOpenChange={(open) => {
          if (!open) setToDelete(null);
        }}
        title={t.t('list.delete.title', { identifier: toDelete?.identifier ?? '' })}
        body={t.t('list.delete.body')}
        confirmLabel={t.t('list.delete.confirm')}
        destructive
        pending={remove.isPending}
        onConfirm={() => {
          if (!toDelete) return;
          const id = toDelete.id;
          remove.mutate(
            { actionId: id },
            {
              onSuccess: () => {
                setToDelete(null);
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
