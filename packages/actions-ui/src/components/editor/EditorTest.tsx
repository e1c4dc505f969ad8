import { useTranslator } from '../../provider';
import { TestPanel } from '../TestPanel';
import { useActionEditor } from './context';
import { EditorSection } from './EditorSection';

/** "Test the action": sample values, a run of the draft, the result. Renders nothing without a test runner. */
export function EditorTest({ className }: { className?: string }) {
  const { definition, validation, runTest, idPrefix } = useActionEditor('ActionEditor.Test');
  const t = useTranslator();
  if (!runTest) return null;
  return (
    <EditorSection
      sectionKey="test"
      title={t.t('editor.section.test')}
      part="ActionEditor.Test"
      className={className}
    >
      <TestPanel
        action={definition}
        onRun={runTest}
        disabledReason={validation.ok ? undefined : t.t('test.invalidDraft')}
        idPrefix={`${idPrefix}-test`}
        headless
      />
    </EditorSection>
  );
}
