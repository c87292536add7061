export { referenceRouter } from './router';
export { REFERENCE_PATH, REFERENCE_PATHS } from './page';
