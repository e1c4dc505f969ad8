import { useTranslator } from '../../provider';
import { useActionEditor } from './context';
import { CREDENTIAL_DROP_KEYS } from './EditorAuthentication';

/** "Turn the action on", Cancel and Save, the save's state, and the notice when saving drops the credential. */
export function EditorActionBar() {
  const { form, fieldId, saveState, requestCancel, dropReason, dropNoticeId, credential } =
    useActionEditor('ActionEditor.ActionBar');
  const t = useTranslator();
  const saving = saveState === 'saving';
  return (
    <footer className="aihio-editor-footer" data-slot="editor-action-bar" data-state={saveState}>
      {/* Always rendered, so screen readers announce the notice when an edit makes it appear. */}
      <div role="status" data-slot="credential-drop" data-reason={dropReason ?? undefined}>
        {dropReason && credential ? (
          <p className="aihio-notice" id={dropNoticeId}>
            {t.t(CREDENTIAL_DROP_KEYS[dropReason], { last4: credential.last4 })}
          </p>
        ) : null}
      </div>
      <div className="aihio-check-field">
        <input
          type="checkbox"
          className="aihio-checkbox"
          id={fieldId(['enabled'])}
          {...form.register('enabled')}
        />
        <label htmlFor={fieldId(['enabled'])}>{t.t('editor.enabled')}</label>
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
          disabled={saving}
          aria-busy={saving || undefined}
          aria-describedby={dropReason ? dropNoticeId : undefined}
        >
          {saving ? t.t('common.saving') : t.t('editor.save')}
        </button>
      </div>
      <p role="status" className="aihio-saved" data-slot="saved">
        {saveState === 'saved' ? t.t('editor.saved') : ''}
      </p>
    </footer>
  );
}
