/** Human titles of flag kinds for the view: the shared definitions live in the model (the CLI uses them too). */
export { ERROR_KINDS, flagKindInfo, flagMessage, flagTitle } from '../model/flag-kinds';
