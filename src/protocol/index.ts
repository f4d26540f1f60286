export * from './limits';
export * from './messages';
export * from './validate';
export * from './hostRouter';
export * from './board';
export * from './html';
export * from './progress';
