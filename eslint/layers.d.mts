// Types of eslint/layers.mjs for the tests (test/unit/lint/layers.test.ts).
import type { ESLint } from 'eslint';

export declare const LAYERS: readonly { name: string; shared?: boolean; units: readonly string[] }[];
export declare function unitOf(rel: string): string | undefined;
export declare function layerOf(unit: string): number | undefined;
export declare function violation(from: string, to: string): string | undefined;
declare const plugin: ESLint.Plugin;
export default plugin;
