import type { CredentialDropReason } from '@aihio/actions-core';
import { Controller } from 'react-hook-form';
import type { MessageKey } from '../../i18n/en';
import { useTranslator } from '../../provider';
import { AuthPicker } from '../AuthPicker';
import { useActionEditor } from './context';
import { EditorSection } from './EditorSection';

/** The notice shown when saving would drop the stored credential, per reason. */
export const CREDENTIAL_DROP_KEYS: Record<CredentialDropReason | 'auth_none', MessageKey> = {
  auth_none: 'editor.credentialDrop.auth_none',
  origin: 'editor.credentialDrop.origin',
  auth_type: 'editor.credentialDrop.auth_type',
  header_name: 'editor.credentialDrop.header_name',
  token_url: 'editor.credentialDrop.token_url',
  client_id: 'editor.credentialDrop.client_id',
  scope: 'editor.credentialDrop.scope',
  audience: 'editor.credentialDrop.audience',
};

/** How the action authenticates, and its write-only credential. */
export function EditorAuthentication() {
  const { form, fieldId, messagesAt, credential, dropReason, setSecret, removeStoredCredential } =
    useActionEditor('ActionEditor.Authentication');
  const t = useTranslator();
  return (
    <EditorSection
      sectionKey="auth"
      title={t.t('editor.section.auth')}
      paths={['auth']}
      part="ActionEditor.Authentication"
    >
      <Controller
        control={form.control}
        name="auth"
        render={({ field }) => (
          <AuthPicker
            value={field.value}
            onValueChange={field.onChange}
            // A credential this draft would drop is shown as missing, so the owner can enter
            // the one for the new settings (the notice before Save says why).
            credential={dropReason ? null : credential}
            onSecretChange={setSecret}
            onRemoveCredential={removeStoredCredential}
            headerNameErrors={messagesAt('auth', 'headerName')}
            oauthErrors={{
              tokenUrl: messagesAt('auth', 'tokenUrl'),
              clientId: messagesAt('auth', 'clientId'),
              scope: messagesAt('auth', 'scope'),
              audience: messagesAt('auth', 'audience'),
            }}
            idPrefix={fieldId(['auth'])}
          />
        )}
      />
    </EditorSection>
  );
}
