import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  ancestorsOf,
  buildOfficeTree,
  covers,
  inspectionOfficesCovered,
  isInspectionOffice,
  OfficeHierarchyError,
} from '../../../functions/core/access/offices.js';

const FILE = resolve(import.meta.dirname, '../../../rules/reference/offices.yaml');
const tree = buildOfficeTree(parse(readFileSync(FILE, 'utf8')), FILE);

describe('the office hierarchy', () => {
  it.each([
    // grants, office, covered
    [['wuzhou-customs'], 'wuzhou-customs', true],
    [['wuzhou-customs'], 'wuzhou-port-checkpoint', false],
    [['wuzhou-customs'], 'nanning-customs', false],
    [['wuzhou'], 'wuzhou-customs', true],
    [['wuzhou'], 'wuzhou-port-checkpoint', true],
    [['wuzhou'], 'nanning-customs', false],
    [['yunnan-guangxi'], 'nanning-customs', true],
    [['yunnan-guangxi'], 'ruili-checkpoint', true],
    [['yunnan-guangxi'], 'guangzhou-customs', false],
    [['guangdong'], 'guangzhou-customs', true],
    [['nanning-customs', 'guangzhou'], 'guangzhou-baiyun-airport-checkpoint', true],
    [['wuzhou-customs'], 'wuzhou', false],
    [[], 'wuzhou-customs', false],
    [['unknown-office'], 'wuzhou-customs', false],
    [['yunnan-guangxi'], 'unknown-office', false],
  ])('grants %j cover %s: %s', (grants, office, expected) => {
    // Act
    const result = covers(tree, grants, office);
    // Assess
    expect(result).toBe(expected);
  });

  it('places the sample offices under their city and region', () => {
    // Assess
    expect(ancestorsOf(tree, 'wuzhou-customs')).toEqual(['wuzhou-customs', 'wuzhou', 'yunnan-guangxi']);
    expect(ancestorsOf(tree, 'nanning-customs')).toEqual(['nanning-customs', 'nanning', 'yunnan-guangxi']);
    expect(ancestorsOf(tree, 'guangzhou-customs')).toEqual(['guangzhou-customs', 'guangzhou', 'guangdong']);
  });

  it.each([
    ['wuzhou-customs', true],
    ['ruili-checkpoint', true],
    ['wuzhou', false],
    ['guangdong', false],
    ['nowhere', false],
  ])('knows whether %s is an inspection office: %s', (office, expected) => {
    expect(isInspectionOffice(tree, office)).toBe(expected);
  });

  it('lists the inspection offices a city grant covers', () => {
    expect(inspectionOfficesCovered(tree, ['wuzhou', 'wuzhou-customs'])).toEqual([
      'wuzhou-customs',
      'wuzhou-port-checkpoint',
    ]);
  });

  it.each([
    [
      'a city at the top',
      { version: '1', offices: [{ id: 'wuzhou', kind: 'city', name: 'W' }] },
      /top-level office must be a region/,
    ],
    [
      'a checkpoint below a region',
      {
        version: '1',
        offices: [
          { id: 'r', kind: 'region', name: 'R', children: [{ id: 'c', kind: 'checkpoint', name: 'C' }] },
        ],
      },
      /checkpoint cannot sit below a region/,
    ],
    [
      'a duplicate id',
      {
        version: '1',
        offices: [
          { id: 'r', kind: 'region', name: 'R' },
          { id: 'r', kind: 'region', name: 'R again' },
        ],
      },
      /offices\.1: office id r appears twice/,
    ],
    [
      'an unknown field',
      { version: '1', offices: [{ id: 'r', kind: 'region', name: 'R', head: 'x' }] },
      /offices\.0/,
    ],
    [
      'an upper-case id',
      { version: '1', offices: [{ id: 'Wuzhou', kind: 'region', name: 'W' }] },
      /kebab-case/,
    ],
  ])('refuses %s, naming where', (_name, data, message) => {
    // Act
    const load = () => buildOfficeTree(data, 'offices.yaml');
    // Assess
    expect(load).toThrow(OfficeHierarchyError);
    expect(load).toThrow(message);
  });
});
