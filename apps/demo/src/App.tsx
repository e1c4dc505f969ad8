import { useMe } from './api';
import { ChatbotSettingsPage } from './pages/ChatbotSettingsPage';
import { ChatbotsPage } from './pages/ChatbotsPage';
import { Link, useRoute } from './router';

/** The host dashboard's frame: its own header and navigation around the pages. */
export function App() {
  const route = useRoute();
  return (
    <div className="shell">
      <Header />
      <main className="page" id="main">
        {route.name === 'chatbots' && <ChatbotsPage />}
        {'chatbotId' in route && <ChatbotSettingsPage route={route} />}
        {route.name === 'notFound' && (
          <section className="card empty">
            <h1>Page not found</h1>
            <p>
              <Link to={{ name: 'chatbots' }}>Back to your chatbots</Link>
            </p>
          </section>
        )}
      </main>
    </div>
  );
}

function Header() {
  const me = useMe();
  const initials = (me.data?.user.name ?? 'Demo user')
    .split(/\s+/)
    .map((word) => word[0]?.toUpperCase() ?? '')
    .join('')
    .slice(0, 2);
  return (
    <header className="topbar">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Link to={{ name: 'chatbots' }} className="brand" aria-label="Lumo home">
        <span className="brand-mark" aria-hidden="true">
          L
        </span>
        <span className="brand-name">Lumo</span>
      </Link>
      <nav className="topnav" aria-label="Main">
        <Link to={{ name: 'chatbots' }} aria-current="page">
          Chatbots
        </Link>
      </nav>
      <div className="account">
        {me.data && (
          <>
            <span className="workspace">
              <span className="workspace-name">{me.data.workspace.name}</span>
              <span className="plan">{me.data.workspace.plan}</span>
            </span>
            <span className="avatar" title={me.data.user.name ?? me.data.user.id}>
              {initials}
            </span>
          </>
        )}
      </div>
    </header>
  );
}
