/** Environment through which a sandboxed child gets the parent's parsed config and stages module. */
export const SANDBOX_CONFIG_ENV = 'LEDGERLENS_SANDBOX_CONFIG';
export const SANDBOX_STAGES_ENV = 'LEDGERLENS_SANDBOX_STAGES';
