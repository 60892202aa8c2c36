// init({ orgId, privacyMode, … }) of the npm package: each option is the script tag's data-*
// attribute of the same name in camelCase (data-privacy-mode → privacyMode), read by the same
// code, so every attribute works as an option and both ways behave the same.
export function optionReader(options) {
  const values = {};
  for (const key in options) {
    values[key.replace(/[A-Z]/g, (c) => '-' + c.toLowerCase())] = options[key];
  }
  return (name) => {
    const value = values[name];
    if (value == null) return null;
    return String(Array.isArray(value) ? value.join(',') : value).trim();
  };
}
