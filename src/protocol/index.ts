export * from './constants';
export * from './v1/action';
export * from './v1/messages';
export * from './v1/codec';
