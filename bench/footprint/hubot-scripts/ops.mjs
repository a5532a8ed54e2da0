// The Hubot side of the footprint benchmark: the same two commands the robot answers.
export default (robot) => {
  robot.respond(/hello (\S+)$/i, async (res) => {
    await res.reply(`Hello, ${res.match[1]}!`);
  });
  robot.respond(/whoami$/i, async (res) => {
    await res.reply(`You are ${res.message.user.name}.`);
  });
};
