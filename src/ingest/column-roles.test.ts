// Column roles: common export headers are recognised, and a missing column is explained with what was found.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { InputError } from '../util/errors.js';
import {
  TRANSACTION_ROLES,
  checkAmountRoles,
  levenshtein,
  normaliseName,
  resolveColumns,
  type ResolveOptions,
} from './column-roles.js';

const TX: Omit<ResolveOptions, 'mapping'> = {
  label: 'transactions file tx.csv',
  required: ['customerId', 'date'],
  optional: TRANSACTION_ROLES.filter((r) => r !== 'customerId' && r !== 'date'),
  configPath: 'transactions.columns',
};

function tx(columns: string[], mapping: Record<string, string> = {}): Record<string, string | undefined> {
  return resolveColumns(columns, { ...TX, mapping });
}

/** Only the roles that were found. */
function found(roles: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(roles).filter((e): e is [string, string] => e[1] !== undefined));
}

function inputError(...patterns: RegExp[]): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    for (const p of patterns) assert.match(e.message, p);
    return true;
  };
}

describe('resolveColumns: auto-detection', () => {
  it('UCI Online Retail headers', () => {
    const cols = [
      'InvoiceNo',
      'StockCode',
      'Description',
      'Quantity',
      'InvoiceDate',
      'UnitPrice',
      'CustomerID',
      'Country',
    ];
    assert.deepEqual(found(tx(cols)), {
      customerId: 'CustomerID',
      date: 'InvoiceDate',
      invoiceId: 'InvoiceNo',
      quantity: 'Quantity',
      unitPrice: 'UnitPrice',
      product: 'StockCode',
      country: 'Country',
    });
  });

  it('Online Retail II headers (spaces in "Customer ID", "Price", "Invoice")', () => {
    const cols = [
      'Invoice',
      'StockCode',
      'Description',
      'Quantity',
      'InvoiceDate',
      'Price',
      'Customer ID',
      'Country',
    ];
    assert.deepEqual(found(tx(cols)), {
      customerId: 'Customer ID',
      date: 'InvoiceDate',
      invoiceId: 'Invoice',
      quantity: 'Quantity',
      unitPrice: 'Price',
      product: 'StockCode',
      country: 'Country',
    });
  });

  it('snake_case shop export with an amount column', () => {
    const cols = ['order_id', 'customer_id', 'order_date', 'amount', 'sku'];
    assert.deepEqual(found(tx(cols)), {
      customerId: 'customer_id',
      date: 'order_date',
      invoiceId: 'order_id',
      amount: 'amount',
      product: 'sku',
    });
  });

  it('prefers the better-ranked name: customer_id over a generic id', () => {
    assert.equal(tx(['id', 'customer_id', 'date', 'amount'])['customerId'], 'customer_id');
    assert.equal(tx(['id', 'date', 'amount'])['customerId'], 'id');
  });

  it('a column fills at most one role', () => {
    // "timestamp" is a date name; with "date" present the date role takes "date" and nothing reuses it.
    const roles = tx(['customer', 'date', 'total']);
    assert.equal(roles['date'], 'date');
    assert.equal(roles['amount'], 'total');
    const values = Object.values(roles).filter((v) => v !== undefined);
    assert.equal(new Set(values).size, values.length);
  });

  it('a user mapping wins, and matches names loosely (case, spaces, underscores, dots)', () => {
    const roles = tx(['Kunde Nr.', 'Datum', 'Betrag'], {
      customerId: 'kunde_nr',
      date: 'Datum',
      amount: 'BETRAG',
    });
    assert.deepEqual(found(roles), { customerId: 'Kunde Nr.', date: 'Datum', amount: 'Betrag' });
  });
});

describe('resolveColumns: errors', () => {
  it('a missing required column lists the columns found and the closest match', () => {
    const cols = ['Cust_Idx', 'InvoiceDate', 'amount'];
    assert.throws(
      () => tx(cols),
      inputError(
        /^transactions file tx\.csv: no customer id column/,
        /closest match: "Cust_Idx"/,
        /transactions\.columns\.customerId/,
        /--columns customerId=NAME/,
        /Columns found: Cust_Idx, InvoiceDate, amount$/,
      ),
    );
  });

  it('no closest match is suggested when nothing is near', () => {
    assert.throws(
      () => tx(['zzz', 'InvoiceDate']),
      (e) => {
        assert.ok(e instanceof InputError);
        assert.doesNotMatch(e.message, /closest match/);
        return true;
      },
    );
  });

  it('every problem is reported at once, each in problems[]', () => {
    assert.throws(
      () => tx(['foo', 'bar'], { amount: 'Amout' }),
      (e) => {
        assert.ok(e instanceof InputError);
        assert.equal(e.problems.length, 3);
        assert.match(e.message, /no customer id column/);
        assert.match(e.message, /no date column/);
        assert.match(e.message, /transactions\.columns\.amount names column "Amout", which is not there/);
        assert.ok(e.problems.every((p) => p.where === 'transactions file tx.csv'));
        return true;
      },
    );
  });

  it('a mapped column that is not there suggests the closest column', () => {
    assert.throws(
      () => tx(['ClientID', 'InvoiceDate', 'amount'], { customerId: 'Client' }),
      inputError(
        /transactions\.columns\.customerId names column "Client", which is not there \(closest match: "ClientID"\)/,
      ),
    );
  });

  for (const [delim, shown] of [
    [';', ';'],
    ['\t', '\\t'],
    ['|', '|'],
  ] as const) {
    it(`one column containing ${JSON.stringify(delim)}: hints at the delimiter`, () => {
      const header = ['customer_id', 'date', 'amount'].join(delim);
      assert.throws(
        () => tx([header]),
        (e) => {
          assert.ok(e instanceof InputError);
          assert.match(e.message, /only one column was found: is the delimiter right\?/);
          assert.ok(e.message.endsWith(`try --delimiter '${shown}')`), e.message);
          return true;
        },
      );
    });
  }

  it('no delimiter hint when several columns were found', () => {
    assert.throws(
      () => tx(['a;b', 'c']),
      (e) => {
        assert.ok(e instanceof InputError);
        assert.doesNotMatch(e.message, /delimiter/);
        return true;
      },
    );
  });
});

describe('checkAmountRoles', () => {
  const cols = ['customer_id', 'date', 'qty', 'price', 'amt'];

  it('accepts an amount, or quantity and unit price', () => {
    assert.doesNotThrow(() => checkAmountRoles({ amount: 'amt' }, 'tx', cols));
    assert.doesNotThrow(() => checkAmountRoles({ quantity: 'qty', unitPrice: 'price' }, 'tx', cols));
    assert.doesNotThrow(() => checkAmountRoles({ amount: 'amt', quantity: 'qty' }, 'tx', cols));
  });

  it('quantity without a price names the unit price as missing', () => {
    assert.throws(
      () => checkAmountRoles({ quantity: 'qty' }, 'tx', cols),
      inputError(
        /^tx: no amount column, and no unit price to compute it from/,
        /Columns found: customer_id, date, qty, price, amt$/,
      ),
    );
  });

  it('a price without quantity names the quantity as missing', () => {
    assert.throws(
      () => checkAmountRoles({ unitPrice: 'price' }, 'tx', cols),
      inputError(/no quantity to compute it from/),
    );
  });

  it('neither: names both and suggests the closest amount-like column', () => {
    assert.throws(
      () => checkAmountRoles({}, 'tx', ['customer_id', 'date', 'amt']),
      inputError(
        /no quantity and unit price to compute it from \(closest match: "amt"\)/,
        /--columns amount=NAME/,
      ),
    );
  });

  it('agrees with resolveColumns on a real header', () => {
    const header = ['Customer ID', 'InvoiceDate', 'Quantity', 'StockCode'];
    assert.throws(() => checkAmountRoles(tx(header), 'tx', header), inputError(/no unit price/));
  });
});

describe('helpers', () => {
  it('normaliseName drops case, spaces, underscores, dashes, dots and brackets', () => {
    assert.equal(normaliseName('Customer ID'), 'customerid');
    assert.equal(normaliseName('customer_id'), 'customerid');
    assert.equal(normaliseName('Customer-Id.(x)'), 'customeridx');
  });

  it('levenshtein matches hand-computed distances and is symmetric', () => {
    const cases: [string, string, number][] = [
      ['', '', 0],
      ['', 'abc', 3],
      ['kitten', 'sitting', 3],
      ['flaw', 'lawn', 2],
      ['custid', 'customerid', 4],
    ];
    for (const [a, b, d] of cases) {
      assert.equal(levenshtein(a, b), d, `${a} → ${b}`);
      assert.equal(levenshtein(b, a), d, `${b} → ${a}`);
    }
  });
});
