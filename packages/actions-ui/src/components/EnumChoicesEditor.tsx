import { useState } from 'react';
import { useControllableState } from '../lib/use-controllable-state';
import { useTranslator } from '../provider';

export interface EnumChoicesEditorProps {
  value?: readonly string[];
  defaultValue?: readonly string[];
  onValueChange?: (choices: string[]) => void;
  /** Prefix of the ids (`<id>-input`, `<id>-error`). */
  id: string;
  /** What the choices belong to, for the accessible names (e.g. the parameter's name). */
  name: string;
  /** Problems with the list, already in the owner's language. */
  errors?: readonly string[];
}

/**
 * The choices of an enum parameter: each choice a chip with a remove button, and a box that adds
 * the typed text on Enter or Add. The core rules (non-empty, no repeats, at least one) are also
 * checked on save; here a blank or repeated choice is simply not added, and says why.
 */
export function EnumChoicesEditor({
  value,
  defaultValue,
  onValueChange,
  id,
  name,
  errors,
}: EnumChoicesEditorProps) {
  const t = useTranslator();
  const [choices, setChoices] = useControllableState<string[]>({
    value: value ? [...value] : undefined,
    defaultValue: defaultValue ? [...defaultValue] : [],
    onChange: onValueChange,
  });
  const [draft, setDraft] = useState('');
  const [refusal, setRefusal] = useState<string | null>(null);
  const add = () => {
    const choice = draft.trim();
    if (choice === '') return;
    if (choices.includes(choice)) {
      setRefusal(t.t('choices.duplicate', { choice }));
      return;
    }
    setChoices((list) => [...list, choice]);
    setDraft('');
    setRefusal(null);
  };
  const messages = [...(refusal ? [refusal] : []), ...(errors ?? [])];
  const inputId = `${id}-input`;
  return (
    <div className="aihio-choices" data-slot="enum-choices">
      {choices.length > 0 ? (
        <ul className="aihio-choice-list" aria-label={t.t('choices.listLabel', { name })}>
          {choices.map((choice, index) => (
            <li key={choice} className="aihio-badge aihio-choice" data-slot="choice">
              <span className="aihio-mono">{choice}</span>
              <button
                type="button"
                className="aihio-choice-remove"
                aria-label={t.t('choices.remove', { choice })}
                onClick={() => setChoices((list) => list.filter((_, i) => i !== index))}
              >
                <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="aihio-choice-add">
        <input
          id={inputId}
          className="aihio-input"
          value={draft}
          aria-label={t.t('choices.add', { name })}
          aria-invalid={messages.length > 0 || undefined}
          aria-describedby={messages.length > 0 ? `${id}-error` : undefined}
          placeholder={t.t('choices.placeholder')}
          onChange={(e) => {
            setDraft(e.currentTarget.value);
            setRefusal(null);
          }}
          onKeyDown={(e) => {
            // Inside the editor's form: Enter adds the choice instead of saving the action.
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
        />
        <button type="button" className="aihio-button" data-variant="secondary" onClick={add}>
          {t.t('choices.addButton')}
        </button>
      </div>
      {messages.length > 0 ? (
        <div className="aihio-error" id={`${id}-error`} data-slot="error">
          {messages.map((m) => (
            <p key={m}>{m}</p>
          ))}
        </div>
      ) : null}
    </div>
  );
}
