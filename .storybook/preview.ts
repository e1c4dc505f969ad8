import type { Preview } from '@storybook/react-vite';
import '../packages/actions-ui/src/styles.css';

const preview: Preview = {
  parameters: {
    controls: { matchers: { color: /(background|color)$/i, date: /Date$/i } },
    // Every story is also an accessibility test: an axe violation fails the run.
    a11y: { test: 'error' },
  },
};

export default preview;
