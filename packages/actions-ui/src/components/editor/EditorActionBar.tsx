import { useTranslator } from '../../provider';
import { useActionEditor } from './context';
import { CREDENTIAL_DROP_KEYS } from './EditorAuthentication';

/** "Turn the action on", Cancel and Save, the save's state, and the notice when saving drops the credential. */
export function EditorActionBar() {
  const {
    form,
    fieldId,
    saveState,
    requestCancel,
    dropReason,
    dropNoticeId,
    credential,
    definition,
    secretEntered,
    identitySetUp,
  } = useActionEditor('ActionEditor.ActionBar');
  // Switched to no authentication, the credential is not to be entered again: say so.
  const dropKey = dropReason === 'auth_type' && definition.auth.type === 'none' ? 'auth_none' : dropReason;
  const t = useTranslator();
  const saving = saveState === 'saving';
  const stateText =
    saveState === 'saved'
      ? t.t('editor.saved')
      : saveState === 'saving'
        ? t.t('editor.state.saving')
        : saveState === 'failed'
          ? t.t('editor.state.failed')
          : saveState === 'unsaved'
            ? t.t('editor.state.unsaved')
            : '';
  // Turning on an action that cannot work yet is allowed (the owner may finish later) but said.
  const warnings: string[] = [];
  if (definition.enabled && definition.auth.type !== 'none' && !credential && !secretEntered) {
    warnings.push(t.t('editor.enabled.noCredential'));
  }
  if (definition.enabled && definition.requireVerifiedIdentity && identitySetUp === false) {
    warnings.push(t.t('editor.enabled.noIdentitySetup'));
  }
  const warningId = `${fieldId(['enabled'])}-warning`;
  return (
    <footer className="aihio-editor-footer" data-slot="editor-action-bar" data-state={saveState}>
      {/* Always rendered, so screen readers announce the notice when an edit makes it appear. */}
      <div role="status" data-slot="credential-drop" data-reason={dropReason ?? undefined}>
        {dropReason && credential ? (
          <p className="aihio-notice" id={dropNoticeId}>
            {t.t(CREDENTIAL_DROP_KEYS[dropKey ?? dropReason], { last4: credential.last4 })}
          </p>
        ) : null}
      </div>
      <div className="aihio-check-field">
        <input
          type="checkbox"
          className="aihio-checkbox"
          id={fieldId(['enabled'])}
          aria-describedby={warnings.length > 0 ? warningId : undefined}
          {...form.register('enabled')}
        />
        <label htmlFor={fieldId(['enabled'])}>{t.t('editor.enabled')}</label>
      </div>
      <div role="status" data-slot="enable-warning" id={warningId}>
        {warnings.map((w) => (
          <p key={w} className="aihio-warning">
            {w}
          </p>
        ))}
      </div>
      <div className="aihio-actions-row">
        {requestCancel ? (
          <button type="button" className="aihio-button" data-variant="ghost" onClick={requestCancel}>
            {t.t('editor.cancel')}
          </button>
        ) : null}
        <button
          type="submit"
          className="aihio-button"
          data-variant="primary"
          // aria-disabled, not disabled: a disabled button drops focus to <body> (defect 6).
          aria-disabled={saving || undefined}
          aria-busy={saving || undefined}
          aria-describedby={dropReason ? dropNoticeId : undefined}
        >
          {saving ? t.t('common.saving') : t.t('editor.save')}
        </button>
      </div>
      <p role="status" className="aihio-saved" data-slot="saved" data-state={saveState}>
        {stateText}
      </p>
    </footer>
  );
}
