import { useChatbots } from '../api';
import { Link } from '../router';

export function ChatbotsPage() {
  const chatbots = useChatbots();
  return (
    <>
      <div className="page-head">
        <h1>Chatbots</h1>
        <p className="muted">Pick a chatbot to change its settings and the actions its AI agent can use.</p>
      </div>
      {chatbots.isPending && <p className="muted">Loading chatbots…</p>}
      {chatbots.isError && (
        <p role="alert" className="alert">
          The chatbots could not be loaded. Is the BFF running?
        </p>
      )}
      {chatbots.data && (
        <ul className="bot-grid">
          {chatbots.data.map((bot) => (
            <li key={bot.id}>
              <Link className="card bot-card" to={{ name: 'actions', chatbotId: bot.id }}>
                <span className="bot-avatar" aria-hidden="true">
                  {bot.name.slice(0, 1)}
                </span>
                <span className="bot-text">
                  <span className="bot-name">{bot.name}</span>
                  <span className="muted">Settings → Actions</span>
                </span>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
