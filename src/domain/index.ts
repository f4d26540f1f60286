export * from './roles';
export * from './modes';
export * from './session';
export * from './task';
export * from './taskStateMachine';
export * from './run';
export * from './proposal';
