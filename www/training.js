// training.js: the training run's state machine, the one copy. worker.js runs it (its requests
// and its loop fire the actions); app.js mirrors it from the worker's events (Ev.TRAIN_PLAN,
// TRAIN_PAUSED, TRAIN_ENDED), firing Start and Resume itself at once so the buttons answer the
// click. A plain ES module with no imports and no browser APIs.

export const State = Object.freeze({
  IDLE: 'idle',           // no run yet
  PREPARING: 'preparing', // tokenizing the text and allocating the run
  RUNNING: 'running',     // stepping
  PAUSED: 'paused',       // between steps; generation and exports may use the GPU
  STOPPING: 'stopping',   // stops after the step in flight
  DONE: 'done',           // the last step ran
  STOPPED: 'stopped',
  ERROR: 'error',
});

export const Action = Object.freeze({
  START: 'start',
  PREPARED: 'prepared',   // the run is allocated: its steps begin
  PAUSE: 'pause',
  RESUME: 'resume',
  STOP: 'stop',
  FINISH: 'finish',       // a step was the last one
  HALT: 'halt',           // a stop took effect
  FAIL: 'fail',
});

const S = State, A = Action;
// Every allowed transition: state -> action -> next state; whatever is not here is refused.
// A Pause or Stop sent while the run is prepared is kept. A run ends (finish, halt, fail) from
// any state with a run: the step in flight when it was paused or stopped may be the last, or
// fail, and app.js, which never sees 'stopping', learns of a stop from the worker's Ev.TRAIN_ENDED.
const TRANSITIONS = {
  [S.IDLE]: { [A.START]: S.PREPARING },
  [S.DONE]: { [A.START]: S.PREPARING },
  [S.STOPPED]: { [A.START]: S.PREPARING },
  [S.ERROR]: { [A.START]: S.PREPARING },
  [S.PREPARING]: { [A.PREPARED]: S.RUNNING, [A.PAUSE]: S.PAUSED, [A.STOP]: S.STOPPING, [A.HALT]: S.STOPPED, [A.FAIL]: S.ERROR },
  [S.RUNNING]: { [A.PAUSE]: S.PAUSED, [A.STOP]: S.STOPPING, [A.FINISH]: S.DONE, [A.HALT]: S.STOPPED, [A.FAIL]: S.ERROR },
  [S.PAUSED]: { [A.RESUME]: S.RUNNING, [A.STOP]: S.STOPPED, [A.FINISH]: S.DONE, [A.HALT]: S.STOPPED, [A.FAIL]: S.ERROR },
  [S.STOPPING]: { [A.FINISH]: S.DONE, [A.HALT]: S.STOPPED, [A.FAIL]: S.ERROR },
};

// The run holds the GPU step by step: no generation, export or other model while so.
const STEPPING = new Set([S.PREPARING, S.RUNNING, S.STOPPING]);
const ACTIONS = new Set(Object.values(Action));

/** Train-ended's reason (the state a run ended in) as the action that leads there. */
export function endAction(reason) {
  const action = { [S.DONE]: A.FINISH, [S.STOPPED]: A.HALT, [S.ERROR]: A.FAIL }[reason];
  if (!action) throw new Error(`training.js: no run ends '${reason}'`);
  return action;
}

export class Training {
  /** onChange(state, previous) runs after each transition. */
  constructor(onChange = () => {}) {
    this.state = S.IDLE;
    this.onChange = onChange;
  }

  /** Whether `action` is allowed now; an unknown action throws. */
  can(action) {
    if (!ACTIONS.has(action)) throw new Error(`training.js: unknown action '${action}'`);
    return action in TRANSITIONS[this.state];
  }

  /** Take `action` if allowed: true if the state changed, false if it was refused. */
  fire(action) {
    if (!this.can(action)) return false;
    const previous = this.state;
    this.state = TRANSITIONS[previous][action];
    this.onChange(this.state, previous);
    return true;
  }

  /** No run is going (idle, or the last one ended): a new run, model or adapter may come. */
  get ended() {
    return this.can(A.START);
  }

  /** The run is using the GPU step by step (preparing, running, stopping): not paused. */
  get stepping() {
    return STEPPING.has(this.state);
  }
}
