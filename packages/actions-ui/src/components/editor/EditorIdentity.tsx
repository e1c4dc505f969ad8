import { useTranslator } from '../../provider';
import { describedBy, FieldMessages } from '../field';
import { GdprNotice } from '../GdprNotice';
import { useActionEditor } from './context';
import { EditorSection } from './EditorSection';

/** "Require verified identity" and the GDPR reminder when the request sends identity fields. */
export function EditorIdentity() {
  const { form, fieldId, messagesAt, usage, definition, idPrefix } = useActionEditor('ActionEditor.Identity');
  const t = useTranslator();
  const id = fieldId(['requireVerifiedIdentity']);
  // With identity fields in the request, the GDPR notice says it (with its one-click fix) instead.
  const errors = usage.identityFields.length > 0 ? undefined : messagesAt('requireVerifiedIdentity');
  return (
    <EditorSection
      sectionKey="identity"
      title={t.t('editor.section.identity')}
      paths={['requireVerifiedIdentity']}
      part="ActionEditor.Identity"
    >
      <div className="aihio-check-field" data-invalid={errors ? true : undefined}>
        <input
          type="checkbox"
          className="aihio-checkbox"
          id={id}
          data-field="requireVerifiedIdentity"
          aria-invalid={errors ? true : undefined}
          aria-describedby={describedBy(id, true, Boolean(errors))}
          {...form.register('requireVerifiedIdentity')}
        />
        <label htmlFor={id}>{t.t('editor.requireVerifiedIdentity')}</label>
        <FieldMessages id={id} help={t.t('editor.requireVerifiedIdentity.help')} errors={errors} />
      </div>
      <GdprNotice
        id={`${idPrefix}-gdpr`}
        identityFields={usage.identityFields}
        requireVerifiedIdentity={definition.requireVerifiedIdentity}
        onRequireVerifiedIdentity={() =>
          form.setValue('requireVerifiedIdentity', true, { shouldDirty: true, shouldTouch: true })
        }
      />
    </EditorSection>
  );
}
