export { default } from '@tau/eslint-config';
