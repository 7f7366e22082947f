#pragma once

// Typed errors: the library throws these to mean "stop now"; only plugin/ prints them.

#include <stdexcept>
#include <string>

namespace sandbox {

// Base of every error a user may see. what() is the one-line reason; hint() an optional fix.
class Error : public std::runtime_error
{
public:
  explicit Error(const std::string& what, std::string hint = "")
    : std::runtime_error(what), m_hint(std::move(hint))
  {
  }
  const std::string& hint() const { return m_hint; }

private:
  std::string m_hint;
};

// The user asked for something invalid (flags, values, files); nothing was sent.
class UsageError : public Error
{
public:
  using Error::Error;
};

// The engine could not be reached, or the connection broke.
class ConnectionError : public Error
{
public:
  using Error::Error;
};

// The engine answered with an error status; what() is its message.
class EngineError : public Error
{
public:
  EngineError(int status, const std::string& what, std::string hint = "")
    : Error(what, std::move(hint)), m_status(status)
  {
  }
  int status() const { return m_status; }

private:
  int m_status;
};

// The user (signal, plugin socket EOF) asked us to stop.
class Cancelled : public Error
{
public:
  Cancelled() : Error("cancelled") {}
};

} // namespace sandbox
