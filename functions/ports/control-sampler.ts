/** Port: whether to hold one more released parcel as a control sample (an unpredictable pick). */
export interface ControlSampler {
  pick(): boolean;
}
