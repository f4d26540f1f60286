export { startApp, AppStartError, type AppPart, type RunningApp, type StartAppOptions } from './runApp';
export { attributeBuildFailure, describeBuildFailure, firstBuildError, type BuildFailure } from './buildErrors';
export { choosePort, isPortFree } from './ports';
export { waitForHttp } from './health';
export { findAppLayout, type AppLayout } from './layout';
