import { type ActionDefinition, type ActionParameter, emptyAction } from '@aihio/actions-core';
import { useState } from 'react';
import { describe, expect, test } from 'vitest';
import { render } from 'vitest-browser-react';
import { axeViolations } from '../testing/axe';
import { createFakeBff } from '../testing/fake-bff';
import { KitFixture } from '../testing/KitFixture';
import { ParameterTable } from './ParameterTable';
import { TestPanel } from './TestPanel';

const typed: ActionDefinition = {
  ...emptyAction(),
  identifier: 'create_order',
  description: 'Create an order.',
  method: 'POST',
  url: 'https://api.example.com/orders?on={{day}}',
  body: '{"qty": {{qty}}, "price": {{price}}, "gift": {{gift}}, "status": "{{status}}"}',
  parameters: [
    { name: 'qty', label: 'Quantity', type: 'integer', required: true },
    { name: 'price', label: 'Price', type: 'number', required: true },
    { name: 'gift', label: 'Gift wrap', type: 'boolean', required: true },
    { name: 'status', label: 'Status', type: 'enum', choices: ['open', 'on hold'], required: true },
    { name: 'day', label: 'Delivery day', type: 'date', required: true },
    { name: 'rush', label: 'Rush', type: 'boolean', required: false },
  ],
};

describe('TestPanel: inputs follow the parameter type', () => {
  test('numbers, yes/no, choices and dates get their own inputs and pre-checks, and go as text', async () => {
    const bff = createFakeBff({});
    const s = await render(
      <KitFixture bff={bff}>
        <TestPanel chatbotId="bot_1" action={typed} />
      </KitFixture>,
    );
    await expect.element(s.getByLabelText('Quantity')).toHaveAttribute('inputmode', 'numeric');
    await expect.element(s.getByLabelText('Price')).toHaveAttribute('inputmode', 'decimal');
    await expect.element(s.getByLabelText('Delivery day')).toHaveAttribute('type', 'date');
    const gift = s.getByRole('combobox', { name: 'Gift wrap' });
    const status = s.getByRole('combobox', { name: 'Status' });
    expect([...(status.element() as HTMLSelectElement).options].map((o) => o.value)).toEqual([
      '',
      'open',
      'on hold',
    ]);

    await s.getByLabelText('Quantity').fill('3.5');
    await s.getByLabelText('Price').fill('cheap');
    await s.getByRole('button', { name: 'Run test' }).click();
    await expect.element(s.getByText('Enter a whole number, like 3.')).toBeVisible();
    await expect.element(s.getByText('Enter a number, like 42 or 3.5.')).toBeVisible();
    expect(bff.calls.filter((c) => c.path.endsWith('/test'))).toHaveLength(0);

    await s.getByLabelText('Quantity').fill('3');
    await s.getByLabelText('Price').fill('2.50');
    await gift.selectOptions('false');
    await status.selectOptions('on hold');
    await s.getByLabelText('Delivery day').fill('2026-02-28');
    await s.getByRole('button', { name: 'Run test' }).click();
    await expect.element(s.getByText('200', { exact: true })).toBeVisible();
    const sent = bff.calls.find((c) => c.path.endsWith('/actions/test'));
    // The optional yes/no left at "Choose…" is not sent; the server turns the text into its type.
    expect(sent?.body).toMatchObject({
      values: { qty: '3', price: '2.50', gift: 'false', status: 'on hold', day: '2026-02-28' },
    });
    expect(await axeViolations(s.container)).toEqual([]);
  });
});

function Table({
  initial,
  onChange,
}: {
  initial: ActionParameter[];
  onChange: (p: ActionParameter[]) => void;
}) {
  const [value, setValue] = useState(initial);
  return (
    <ParameterTable
      value={value}
      onValueChange={(next) => {
        setValue(next);
        onChange(next);
      }}
    />
  );
}

describe('ParameterTable: the enum type', () => {
  test('choosing “Choice” opens the choices editor; another type drops the choices', async () => {
    const changes: ActionParameter[][] = [];
    const s = await render(
      <KitFixture bff={createFakeBff({})}>
        <Table
          initial={[{ name: 'status', label: 'Status', type: 'text', required: true }]}
          onChange={(p) => changes.push(p)}
        />
      </KitFixture>,
    );
    await s.getByRole('combobox', { name: 'Type parameter 1' }).selectOptions('Choice');
    expect(changes.at(-1)).toEqual([
      { name: 'status', label: 'Status', type: 'enum', required: true, choices: [] },
    ]);
    const add = s.getByRole('textbox', { name: 'Add a choice to status' });
    await add.fill('open');
    await s.getByRole('button', { name: 'Add', exact: true }).click();
    await add.fill('closed');
    await s.getByRole('button', { name: 'Add', exact: true }).click();
    expect(changes.at(-1)?.[0]?.choices).toEqual(['open', 'closed']);
    expect(await axeViolations(s.container)).toEqual([]);
    await s.getByRole('combobox', { name: 'Type parameter 1' }).selectOptions('Whole number');
    expect(changes.at(-1)).toEqual([{ name: 'status', label: 'Status', type: 'integer', required: true }]);
    expect(s.container.querySelector('[data-slot="enum-choices"]')).toBeNull();
  });
});
