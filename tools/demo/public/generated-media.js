// A generated camera and microphone: a moving canvas picture and an oscillator tone. The diagnostic page uses them
// instead of getUserMedia, so it works on a machine with no camera or microphone (or none it may use), asks for no
// permission, and never sends a real face or voice through the relay.

/** A MediaStream with one video track (320x240, 15 fps, always moving) and one audio track (a 440 Hz tone). */
export function generatedStream(label) {
  const canvas = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });
  const context = canvas.getContext('2d');
  const started = performance.now();
  const hue = label === 'B' ? 200 : 20;
  const draw = () => {
    const t = (performance.now() - started) / 1000;
    const gradient = context.createLinearGradient(0, 0, 320, 240);
    gradient.addColorStop(0, `hsl(${hue}, 70%, 25%)`);
    gradient.addColorStop(1, `hsl(${(hue + 120) % 360}, 70%, 70%)`);
    context.fillStyle = gradient;
    context.fillRect(0, 0, 320, 240);
    // A ball that crosses the frame every few seconds, so successive frames always differ.
    context.fillStyle = '#fff';
    context.beginPath();
    context.arc(160 + 130 * Math.sin(t * 1.7), 120 + 90 * Math.cos(t * 1.3), 24, 0, 2 * Math.PI);
    context.fill();
    context.fillStyle = '#000';
    context.font = '20px monospace';
    context.fillText(`peer ${label} ${t.toFixed(1)} s`, 12, 28);
  };
  draw();
  // captureStream only emits frames when the canvas changes; a timer (not requestAnimationFrame) keeps drawing in a
  // background tab too.
  const timer = setInterval(draw, 1000 / 15);
  const video = canvas.captureStream(15).getVideoTracks()[0];

  const audioContext = new AudioContext();
  const oscillator = new OscillatorNode(audioContext, { frequency: label === 'B' ? 660 : 440 });
  const gain = new GainNode(audioContext, { gain: 0.05 });
  const destination = audioContext.createMediaStreamDestination();
  oscillator.connect(gain).connect(destination);
  oscillator.start();
  const audio = destination.stream.getAudioTracks()[0];

  video.addEventListener('ended', () => clearInterval(timer));
  return new MediaStream([video, audio]);
}
