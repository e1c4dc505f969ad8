import { IdentitySecretSetup } from '@aihio/actions-ui';
import { useEffect } from 'react';
import { useChatbot } from '../api';
import { Link, type Route } from '../router';
import { ActionsTab } from './ActionsTab';

type ChatbotRoute = Extract<Route, { chatbotId: string }>;

/** Chatbots → a chatbot → Settings, with the Actions tab where the kit lives. */
export function ChatbotSettingsPage({ route }: { route: ChatbotRoute }) {
  const { chatbotId } = route;
  const chatbot = useChatbot(chatbotId);
  const name = chatbot.data?.name ?? 'Chatbot';
  const onActions = route.name !== 'general';
  const tab =
    route.name === 'general'
      ? 'General'
      : route.name === 'newAction'
        ? 'New action'
        : route.name === 'editAction'
          ? 'Edit action'
          : 'Actions';
  useEffect(() => {
    document.title = `${tab} · ${name} · Lumo`;
  }, [tab, name]);
  return (
    <>
      <nav aria-label="Breadcrumb" className="crumbs">
        <ol>
          <li>
            <Link to={{ name: 'chatbots' }}>Chatbots</Link>
          </li>
          <li>
            <Link to={{ name: 'actions', chatbotId }}>{name}</Link>
          </li>
          <li>Settings</li>
          <li aria-current="page">{onActions ? 'Actions' : 'General'}</li>
        </ol>
      </nav>
      <div className="page-head">
        <h1>{name}</h1>
        <p className="muted">Settings</p>
      </div>
      {chatbot.isError ? (
        <p role="alert" className="alert">
          This chatbot could not be loaded.
        </p>
      ) : (
        <>
          <nav className="tabs" aria-label="Chatbot settings">
            <Link to={{ name: 'general', chatbotId }} aria-current={onActions ? undefined : 'page'}>
              General
            </Link>
            <Link to={{ name: 'actions', chatbotId }} aria-current={onActions ? 'page' : undefined}>
              Actions
            </Link>
          </nav>
          {onActions ? (
            <ActionsTab route={route} />
          ) : (
            <>
              <section className="card general">
                <h2>General</h2>
                <dl>
                  <dt>Name</dt>
                  <dd>{name}</dd>
                  <dt>Chatbot id</dt>
                  <dd>
                    <code>{chatbotId}</code>
                  </dd>
                </dl>
              </section>
              <section className="card kit-host">
                <IdentitySecretSetup chatbotId={chatbotId} headingLevel={2} />
              </section>
            </>
          )}
        </>
      )}
    </>
  );
}
