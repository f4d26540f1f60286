export { appNames, AppNameError, type AppNames } from './names';
export { renderTemplate, templateDir, PLACEHOLDER, type TemplateFile } from './template';
export { createNewApp, checkNewAppTarget, NewAppRefused, type NewAppOptions, type NewAppResult } from './newApp';
