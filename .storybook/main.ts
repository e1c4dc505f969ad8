import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StorybookConfig } from '@storybook/react-vite';

// The kit's package owns Storybook's dependencies; resolve them from there, not from the repo root.
const here = path.dirname(fileURLToPath(import.meta.url));
const requireFromKit = createRequire(path.join(here, '../packages/actions-ui/package.json'));
const packageDir = (name: string) => path.dirname(requireFromKit.resolve(`${name}/package.json`));

const config: StorybookConfig = {
  stories: ['../packages/actions-ui/src/**/*.stories.tsx'],
  addons: [packageDir('@storybook/addon-a11y'), packageDir('@storybook/addon-vitest')],
  framework: { name: packageDir('@storybook/react-vite') as '@storybook/react-vite', options: {} },
  core: { disableTelemetry: true },
  async viteFinal(viteConfig) {
    // Workspace packages resolve to their source (the `@aihio/source` export condition).
    const conditions = viteConfig.resolve?.conditions ?? ['module', 'browser', 'development|production'];
    const onwarn = viteConfig.build?.rollupOptions?.onwarn;
    return {
      ...viteConfig,
      build: {
        ...viteConfig.build,
        rollupOptions: {
          ...viteConfig.build?.rollupOptions,
          // Radix and the kit mark their modules "use client" (for React Server Component hosts);
          // a client-only bundle such as Storybook's has nothing to do with the directive.
          onwarn(warning, warn) {
            if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('use client')) return;
            if (onwarn) onwarn(warning, warn);
            else warn(warning);
          },
        },
      },
      resolve: {
        ...viteConfig.resolve,
        conditions: conditions.includes('@aihio/source') ? conditions : ['@aihio/source', ...conditions],
      },
    };
  },
};

export default config;
