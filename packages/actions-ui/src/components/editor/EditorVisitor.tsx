import { useTranslator } from '../../provider';
import { ConfirmationSettings } from '../ConfirmationSettings';
import { useActionEditor } from './context';
import { EditorSection } from './EditorSection';

/**
 * What the visitor sees of the action: the label the chat shows while it runs, and whether they
 * confirm a call before it is made (the server enforces it). Absent confirmation reads as `auto`.
 */
export function EditorVisitor() {
  const { form, messagesAt, definition, idPrefix } = useActionEditor('ActionEditor.Visitor');
  const t = useTranslator();
  return (
    <EditorSection
      sectionKey="visitor"
      title={t.t('editor.section.visitor')}
      paths={['visitorLabel', 'confirmation']}
      part="ActionEditor.Visitor"
    >
      <ConfirmationSettings
        method={definition.method}
        confirmation={definition.confirmation ?? 'auto'}
        onConfirmationChange={(mode) => form.setValue('confirmation', mode, { shouldDirty: true })}
        visitorLabel={definition.visitorLabel ?? ''}
        onVisitorLabelChange={(label) =>
          form.setValue('visitorLabel', label, { shouldDirty: true, shouldTouch: true })
        }
        visitorLabelErrors={messagesAt('visitorLabel')}
        // The label input's id is then fieldId(['visitorLabel']): the error summary focuses it.
        idPrefix={idPrefix}
      />
    </EditorSection>
  );
}
