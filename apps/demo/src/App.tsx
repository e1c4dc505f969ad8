import type { Theme } from '@aihio/actions-ui';
import { useEffect } from 'react';
import { useMe } from './api';
import { ChatbotSettingsPage } from './pages/ChatbotSettingsPage';
import { ChatbotsPage } from './pages/ChatbotsPage';
import { DEV_WORKSPACES, type DevWorkspaceId, THEMES, useDevWorkspace, useTheme } from './preferences';
import { Link, type Route, useRoute } from './router';

const THEME_LABELS: Record<Theme, string> = { light: 'Light', dark: 'Dark', system: 'System' };

/** The tab title names the screen, then the product (the chatbot pages set theirs with its name). */
function titleOf(route: Route): string | null {
  if (route.name === 'chatbots') return 'Chatbots · Lumo';
  if (route.name === 'notFound') return 'Page not found · Lumo';
  return null;
}

/** The host dashboard's frame: its own header and navigation around the pages. */
export function App() {
  const route = useRoute();
  useEffect(() => {
    const title = titleOf(route);
    if (title) document.title = title;
  }, [route]);
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
        <Preferences />
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

/** Theme (light, dark, system) and, in development, which seeded workspace to be in. */
function Preferences() {
  const [theme, setTheme] = useTheme();
  const [workspace, setWorkspace] = useDevWorkspace();
  return (
    <div className="prefs">
      <label className="pref">
        <span className="pref-label">Theme</span>
        <select value={theme} onChange={(event) => setTheme(event.currentTarget.value as Theme)}>
          {THEMES.map((option) => (
            <option key={option} value={option}>
              {THEME_LABELS[option]}
            </option>
          ))}
        </select>
      </label>
      <label className="pref">
        <span className="pref-label">Workspace</span>
        <select
          value={workspace}
          onChange={(event) => {
            setWorkspace(event.currentTarget.value as DevWorkspaceId);
            // Another workspace has other chatbots: start over from its list, with no cached data.
            window.location.assign('/chatbots');
          }}
        >
          {DEV_WORKSPACES.map((option) => (
            <option key={option.id} value={option.id}>
              {option.label}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}
