// RFM segment map: the default names every (R, F) cell as the table does (written out here cell by cell),
// once each; first match wins; M ranges; checkRfmMap finds bad names, bad ranges, unreachable rules and uncovered
// cells, each with where it is.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { assignRfmSegments, checkRfmMap, DEFAULT_RFM_MAP, type RfmRule } from './rfm-map.js';

// The map, as a grid: row R5 first, columns F1..F5.
const GRID: Record<number, string[]> = {
  5: ['New Customers', 'Potential Loyalists', 'Potential Loyalists', 'Champions', 'Champions'],
  4: ['Promising', 'Potential Loyalists', 'Potential Loyalists', 'Loyal Customers', 'Loyal Customers'],
  3: ['About to Sleep', 'About to Sleep', 'Need Attention', 'Loyal Customers', 'Loyal Customers'],
  2: ['Hibernating', 'Hibernating', 'At Risk', 'At Risk', "Can't Lose Them"],
  1: ['Lost', 'Lost', 'At Risk', 'At Risk', "Can't Lose Them"],
};

describe('DEFAULT_RFM_MAP', () => {
  it('names all 25 (R, F) cells as the issue does, each by exactly one rule', () => {
    const r: number[] = [];
    const f: number[] = [];
    for (let ri = 1; ri <= 5; ri++) {
      for (let fi = 1; fi <= 5; fi++) {
        r.push(ri);
        f.push(fi);
      }
    }
    const seg = assignRfmSegments({ r, f });
    seg.forEach((s, c) => {
      assert.equal(DEFAULT_RFM_MAP[s]!.name, GRID[r[c]!]![f[c]! - 1], `R${r[c]} F${f[c]}`);
      const matching = DEFAULT_RFM_MAP.filter(
        (rule) => rule.r![0] <= r[c]! && r[c]! <= rule.r![1] && rule.f![0] <= f[c]! && f[c]! <= rule.f![1],
      );
      assert.equal(matching.length, 1, `R${r[c]} F${f[c]} is covered once`);
    });
    assert.deepEqual(checkRfmMap(DEFAULT_RFM_MAP, 5), []);
    assert.equal(new Set(DEFAULT_RFM_MAP.map((rule) => rule.name)).size, 11);
  });

  it('every segment says what it is and what to do', () => {
    for (const rule of DEFAULT_RFM_MAP) assert.ok((rule.description ?? '').length > 30, rule.name);
    assert.match(DEFAULT_RFM_MAP[0]!.description!, /recently.*often.*spend the most.*reward them/i);
  });

  it('is frozen', () => {
    assert.throws(() => {
      (DEFAULT_RFM_MAP[0]!.r as unknown as number[])[0] = 1;
    }, TypeError);
  });
});

describe('assignRfmSegments', () => {
  const map: RfmRule[] = [
    { name: 'Big spenders', m: [5, 5] },
    { name: 'Recent', r: [4, 5] },
    { name: 'Everyone else' },
  ];
  it('first matching rule wins; M ranges; a rule with no ranges catches all', () => {
    const seg = assignRfmSegments({ r: [5, 5, 1, 2], f: [1, 1, 1, 5], m: [5, 1, 5, 3] }, map);
    assert.deepEqual(Array.from(seg), [0, 1, 0, 2]);
  });
  it('−1 where no rule matches', () => {
    assert.deepEqual(
      Array.from(assignRfmSegments({ r: [1, 5], f: [1, 1] }, [{ name: 'Recent', r: [5, 5] }])),
      [-1, 0],
    );
  });
  it('errors: M needed but missing, lengths differ', () => {
    assert.throws(
      () => assignRfmSegments({ r: [1], f: [1] }, map),
      /rule 0 \("Big spenders"\) constrains m, but scores have no m/,
    );
    assert.throws(() => assignRfmSegments({ r: [1], f: [1, 2] }), /scores\.f has 2 entries, scores\.r has 1/);
  });
});

describe('checkRfmMap', () => {
  it('reports every problem with where it is', () => {
    const problems = checkRfmMap(
      [
        { name: '', r: [1, 5] },
        { name: 'Top', f: [6, 6] },
        { name: 'Odd', m: [3, 2] },
        { name: 'Half', r: [1.5, 2] },
      ],
      5,
      'value.rfm.map',
    );
    assert.deepEqual(
      problems.map((p) => p.where),
      ['value.rfm.map[0].name', 'value.rfm.map[1].f', 'value.rfm.map[2].m', 'value.rfm.map[3].r'],
    );
    assert.match(problems[1]!.message, /1 ≤ low ≤ high ≤ 5 \(the score bins\), got \[6,6\]/);
  });

  it('uncovered cells and rules that never apply', () => {
    const problems = checkRfmMap([
      { name: 'Recent', r: [4, 5] },
      { name: 'Champions', r: [5, 5], f: [5, 5] },
      { name: 'Rare', f: [1, 1] },
    ]);
    assert.deepEqual(problems, [
      {
        where: 'map[1]',
        message: 'rule "Champions" never applies: earlier rules take every cell it covers (first match wins)',
      },
      {
        where: 'map',
        message:
          'no rule covers 12 of the 25 (R, F) cells: R1 F2, R1 F3, R1 F4, R1 F5, R2 F2, R2 F3, R2 F4, R2 F5, R3 F2, R3 F3, R3 F4, R3 F5 — add rules or a catch-all rule with no ranges',
      },
    ]);
  });

  it('checks (R, F, M) cells when a rule constrains M, for any number of bins', () => {
    const problems = checkRfmMap(
      [
        { name: 'Spenders', m: [2, 3] },
        { name: 'Rest', m: [1, 1] },
      ],
      3,
    );
    assert.equal(problems.length, 0);
    const gap = checkRfmMap([{ name: 'Spenders', m: [2, 3] }], 3);
    assert.match(gap[0]!.message, /no rule covers 9 of the 27 \(R, F, M\) cells: R1 F1 M1, R1 F2 M1/);
    assert.deepEqual(checkRfmMap([]), [{ where: 'map', message: 'the map needs at least one rule' }]);
  });
});
