import { LIMITS } from '@aihio/actions-core';
import { useMemo } from 'react';
import { Controller } from 'react-hook-form';
import { useTranslator } from '../../provider';
import { FieldMessages } from '../field';
import { ParameterTable } from '../ParameterTable';
import { useActionEditor } from './context';
import { EditorSection } from './EditorSection';

/** The parameters the agent fills from the conversation (the parameter table). */
export function EditorParameters() {
  const { form, fieldId, messagesAt, shownIssues, usage } = useActionEditor('ActionEditor.Parameters');
  const t = useTranslator();
  const parameterIssues = useMemo(
    () =>
      shownIssues
        .filter((i) => i.path[0] === 'parameters' && typeof i.path[1] === 'number')
        .map((i) => ({ ...i, path: i.path.slice(1) })),
    [shownIssues],
  );
  const id = fieldId(['parameters']);
  return (
    <EditorSection
      sectionKey="parameters"
      title={t.t('editor.section.parameters')}
      paths={['parameters']}
      part="ActionEditor.Parameters"
    >
      <p className="aihio-help">{t.t('parameters.help')}</p>
      <div id={id} tabIndex={-1}>
        <FieldMessages id={id} errors={messagesAt('parameters')} />
        <Controller
          control={form.control}
          name="parameters"
          render={({ field }) => (
            <ParameterTable
              value={field.value}
              onValueChange={field.onChange}
              usage={usage.byName}
              issues={parameterIssues}
              idPrefix={id}
              maxParameters={LIMITS.parameters}
            />
          )}
        />
      </div>
    </EditorSection>
  );
}
