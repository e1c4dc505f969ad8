import { useId, useRef, useState } from 'react';
import { isActionsApiError } from '../client';
import { useChatbot, useRemoveIdentitySecret, useSetIdentitySecret } from '../hooks';
import { generateIdentitySecret, visitorTokenSnippet } from '../lib/identity-secret';
import { useRootProps, useTranslator } from '../provider';
import { ConfirmDialog } from './dialog';
import { Badge } from './ui/badge';
import { Button } from './ui/button';

export interface IdentitySecretSetupProps {
  /** The chatbot whose visitors are verified (also the `aud` of the tokens). */
  chatbotId: string;
  /**
   * Standalone: the stored secret's summary (`null` when none). Leave it and `onSave` out to
   * load and save through `ActionsProvider` (connected).
   */
  secret?: { last4: string } | null;
  /** Standalone: store a new secret (set or rotate). Reject to show the error. */
  onSave?: (secret: string) => Promise<unknown> | undefined;
  /** Standalone: remove the stored secret. */
  onRemove?: () => Promise<unknown> | undefined;
  /** Heading level of the section title (3 unless told). */
  headingLevel?: 2 | 3 | 4;
  className?: string;
}

/**
 * Sets, rotates and removes a chatbot's identity secret. The secret is generated in the browser,
 * stored write-only, and shown once to copy, with the server-side snippet that mints the visitor
 * token. Connected with only `chatbotId`; standalone with `secret`, `onSave` and `onRemove`.
 */
export function IdentitySecretSetup(props: IdentitySecretSetupProps) {
  if (props.onSave)
    return <IdentitySecretView {...props} secret={props.secret ?? null} onSave={props.onSave} />;
  return <ConnectedIdentitySecretSetup {...props} />;
}

function ConnectedIdentitySecretSetup(props: IdentitySecretSetupProps) {
  const t = useTranslator();
  const chatbot = useChatbot(props.chatbotId);
  const save = useSetIdentitySecret(props.chatbotId);
  const remove = useRemoveIdentitySecret(props.chatbotId);
  const rootProps = useRootPropsFor(props.className);
  if (chatbot.isPending || chatbot.isError) {
    return (
      <section {...rootProps} data-slot="identity-setup" data-state={chatbot.isPending ? 'loading' : 'error'}>
        {chatbot.isPending ? (
          <p className="aihio-muted" role="status">
            {t.t('common.loading')}
          </p>
        ) : (
          <p className="aihio-alert" data-variant="error" role="alert">
            {t.error(chatbot.error.code, chatbot.error.message)}
          </p>
        )}
      </section>
    );
  }
  return (
    <IdentitySecretView
      {...props}
      secret={chatbot.data.identitySecret}
      onSave={(secret) => save.mutateAsync({ secret })}
      onRemove={() => remove.mutateAsync()}
    />
  );
}

function useRootPropsFor(className: string | undefined) {
  return useRootProps(className ? `aihio-identity-setup ${className}` : 'aihio-identity-setup');
}

type Pending = 'save' | 'remove' | null;

function IdentitySecretView({
  chatbotId,
  secret,
  onSave,
  onRemove,
  headingLevel = 3,
  className,
}: IdentitySecretSetupProps & {
  secret: { last4: string } | null;
  onSave: (secret: string) => Promise<unknown> | undefined;
}) {
  const t = useTranslator();
  const rootProps = useRootPropsFor(className);
  const id = `aihio-${useId().replace(/:/g, '')}-identity`;
  const Heading = `h${headingLevel}` as const;
  // The secret just stored, shown until the owner says it is copied; then never again.
  const [revealed, setRevealed] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending>(null);
  const [error, setError] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<'rotate' | 'remove' | null>(null);
  const [copied, setCopied] = useState<'secret' | 'snippet' | 'failed' | null>(null);
  const secretInput = useRef<HTMLInputElement>(null);
  const mainButton = useRef<HTMLButtonElement>(null);

  const explain = (cause: unknown) =>
    isActionsApiError(cause) ? t.error(cause.code, cause.message) : t.t('identitySetup.failed');

  const generateAndSave = async () => {
    setError(null);
    setCopied(null);
    setPending('save');
    const fresh = generateIdentitySecret();
    try {
      await onSave(fresh);
      setConfirm(null);
      setRevealed(fresh);
      requestAnimationFrame(() => {
        secretInput.current?.focus();
        secretInput.current?.select();
      });
    } catch (cause) {
      setConfirm(null);
      setError(explain(cause));
    } finally {
      setPending(null);
    }
  };

  const removeSecret = async () => {
    setError(null);
    setPending('remove');
    try {
      await onRemove?.();
      setConfirm(null);
      setRevealed(null);
      requestAnimationFrame(() => mainButton.current?.focus());
    } catch (cause) {
      setConfirm(null);
      setError(explain(cause));
    } finally {
      setPending(null);
    }
  };

  const copy = async (what: 'secret' | 'snippet', text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(what);
    } catch {
      // No clipboard (an insecure origin, a denied permission): the text is selectable.
      setCopied('failed');
      if (what === 'secret') secretInput.current?.select();
    }
  };

  const snippet = visitorTokenSnippet(chatbotId);
  const isSet = secret !== null;
  const state = revealed ? 'revealed' : isSet ? 'set' : 'unset';

  return (
    <section {...rootProps} data-slot="identity-setup" data-state={state} aria-labelledby={`${id}-title`}>
      <div className="aihio-identity-head">
        <Heading className="aihio-section-title" id={`${id}-title`}>
          {t.t('identitySetup.title')}
        </Heading>
        <Badge variant={isSet ? 'success' : 'outline'} data-slot="identity-status">
          {isSet ? t.t('identitySetup.status.set') : t.t('identitySetup.status.unset')}
        </Badge>
      </div>
      <p className="aihio-muted">{t.t('identitySetup.body')}</p>

      {isSet && !revealed ? (
        <p className="aihio-identity-stored">
          <span id={`${id}-stored`}>{t.t('identitySetup.stored')}</span>{' '}
          <output className="aihio-mono aihio-masked" aria-labelledby={`${id}-stored`}>
            {t.t('auth.secret.masked', { last4: secret.last4 })}
          </output>
        </p>
      ) : null}

      {revealed ? (
        <div className="aihio-identity-reveal" data-slot="identity-reveal">
          <label className="aihio-label" htmlFor={`${id}-secret`}>
            {t.t('identitySetup.reveal.label')}
          </label>
          <div className="aihio-inline aihio-identity-secret-row">
            <input
              ref={secretInput}
              id={`${id}-secret`}
              className="aihio-input aihio-mono"
              value={revealed}
              readOnly
              spellCheck={false}
              autoComplete="off"
              aria-describedby={`${id}-reveal-help`}
              onFocus={(event) => event.currentTarget.select()}
            />
            <Button variant="secondary" onClick={() => void copy('secret', revealed)}>
              {t.t('identitySetup.copy')}
            </Button>
          </div>
          <p className="aihio-warning" id={`${id}-reveal-help`}>
            {t.t('identitySetup.reveal.help')}
          </p>
          <Button
            variant="primary"
            onClick={() => {
              setRevealed(null);
              setCopied(null);
              requestAnimationFrame(() => mainButton.current?.focus());
            }}
          >
            {t.t('identitySetup.reveal.done')}
          </Button>
        </div>
      ) : (
        <div className="aihio-inline">
          {isSet ? (
            <>
              <Button
                ref={mainButton}
                variant="secondary"
                pending={pending === 'save'}
                onClick={() => setConfirm('rotate')}
              >
                {t.t('identitySetup.rotate')}
              </Button>
              {onRemove ? (
                <Button variant="destructive-outline" onClick={() => setConfirm('remove')}>
                  {t.t('common.remove')}
                </Button>
              ) : null}
            </>
          ) : (
            <Button ref={mainButton} variant="primary" pending={pending === 'save'} onClick={generateAndSave}>
              {pending === 'save' ? t.t('common.saving') : t.t('identitySetup.generate')}
            </Button>
          )}
        </div>
      )}

      <p className="aihio-visually-hidden" role="status">
        {copied === 'secret' || copied === 'snippet'
          ? t.t('identitySetup.copied')
          : copied === 'failed'
            ? t.t('identitySetup.copyFailed')
            : ''}
      </p>
      {copied === 'failed' ? <p className="aihio-help">{t.t('identitySetup.copyFailed')}</p> : null}

      {error ? (
        <p className="aihio-alert" data-variant="error" role="alert">
          {error}
        </p>
      ) : null}

      {isSet || revealed ? (
        <details className="aihio-identity-snippet" open={revealed !== null || undefined}>
          <summary>{t.t('identitySetup.snippet.title')}</summary>
          <p className="aihio-help">{t.t('identitySetup.snippet.body')}</p>
          <pre className="aihio-code" data-slot="identity-snippet">
            <code>{snippet}</code>
          </pre>
          <Button variant="secondary" size="sm" onClick={() => void copy('snippet', snippet)}>
            {t.t('identitySetup.copySnippet')}
          </Button>
        </details>
      ) : null}

      <ConfirmDialog
        open={confirm === 'rotate'}
        onOpenChange={(open) => {
          if (!open) setConfirm(null);
        }}
        title={t.t('identitySetup.rotate.title')}
        body={t.t('identitySetup.rotate.body')}
        confirmLabel={t.t('identitySetup.rotate.confirm')}
        pending={pending === 'save'}
        onConfirm={generateAndSave}
      />
      <ConfirmDialog
        open={confirm === 'remove'}
        onOpenChange={(open) => {
          if (!open) setConfirm(null);
        }}
        title={t.t('identitySetup.remove.title')}
        body={t.t('identitySetup.remove.body')}
        confirmLabel={t.t('identitySetup.remove.confirm')}
        destructive
        pending={pending === 'remove'}
        onConfirm={removeSecret}
      />
    </section>
  );
}
