import type { Decorator } from '@storybook/react-vite';
import { createFakeBff, type FakeBffOptions } from './fake-bff';
import { KitFixture, type KitFixtureProps } from './KitFixture';

/** A story decorator: the provider over a fresh in-memory BFF configured for the story. */
export function withKit(
  options: FakeBffOptions = {},
  fixture: Omit<KitFixtureProps, 'bff' | 'children'> = {},
): Decorator {
  return (Story) => (
    <KitFixture bff={createFakeBff(options)} {...fixture}>
      <Story />
    </KitFixture>
  );
}
