import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  divergingColor,
  readableTextColor,
  SEGMENT_PALETTE,
  segmentColor,
  sequentialColor,
  withAlpha,
} from './palette.js';

test('twelve distinct segment colours, then they repeat', () => {
  assert.equal(new Set(SEGMENT_PALETTE.map((c) => c.toLowerCase())).size, 12);
  assert.equal(segmentColor(0), SEGMENT_PALETTE[0]);
  assert.equal(segmentColor(12), segmentColor(0));
  assert.equal(withAlpha('#0072B2', 0.5), 'rgba(0, 114, 178, 0.5)');
});

test('the diverging scale is neutral at 0, saturates at ±2σ and is symmetric in lightness', () => {
  assert.equal(divergingColor(0), '#f7f7f7');
  assert.equal(divergingColor(2), '#e66101');
  assert.equal(divergingColor(9), '#e66101');
  assert.equal(divergingColor(-2), '#5e3c99');
  assert.equal(divergingColor(1), '#fdb863');
  assert.equal(divergingColor(NaN), '#eaeef2');
  // Halfway between two stops is the average of the two.
  assert.equal(divergingColor(0.5), '#fad8ad');
});

test('text on heat-map cells stays readable', () => {
  assert.equal(readableTextColor('#f7f7f7'), '#1f2328');
  assert.equal(readableTextColor('#5e3c99'), '#ffffff');
  assert.equal(readableTextColor('#e66101'), '#1f2328');
  assert.throws(() => readableTextColor('red'), /#rrggbb/);
});

test('the sequential scale runs light to dark, clamps, and is grey for missing values', () => {
  assert.equal(sequentialColor(0), '#eff3ff');
  assert.equal(sequentialColor(1), '#08519c');
  assert.equal(sequentialColor(-3), sequentialColor(0));
  assert.equal(sequentialColor(7), sequentialColor(1));
  assert.equal(sequentialColor(NaN), '#eaeef2');
  const sum = (hex: string) => [1, 3, 5].reduce((a, i) => a + parseInt(hex.slice(i, i + 2), 16), 0);
  const steps = [0, 0.2, 0.4, 0.6, 0.8, 1].map((t) => sum(sequentialColor(t)));
  for (let i = 1; i < steps.length; i++) assert.ok(steps[i]! < steps[i - 1]!, 'darker as t grows');
  assert.equal(readableTextColor(sequentialColor(1)), '#ffffff');
  assert.equal(readableTextColor(sequentialColor(0)), '#1f2328');
});
